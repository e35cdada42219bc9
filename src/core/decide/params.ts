import { canonicalDecimal } from '../policy/compile-condition.js';
import { ENGINE_PARAMS, type EngineParamName, type EngineParams } from '../policy/engine-params.js';
import type { CompiledPolicy } from '../policy/model.js';

const cache = new WeakMap<CompiledPolicy, EngineParams>();

/** The engine parameters of a compiled (already validated) policy, typed; computed once per policy. */
export function engineParams(policy: CompiledPolicy): EngineParams {
  let p = cache.get(policy);
  if (!p) {
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(ENGINE_PARAMS) as EngineParamName[]) {
      const v = policy.params[name];
      const t = ENGINE_PARAMS[name].type;
      out[name] = t === 'ratio' ? canonicalDecimal(v) : v;
    }
    p = out as EngineParams;
    cache.set(policy, p);
  }
  return p;
}
