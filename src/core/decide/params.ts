import { canonicalDecimal } from '../policy/compile-condition.js';
import { ENGINE_PARAMS, type EngineParamName, type EngineParams } from '../policy/engine-params.js';
import type { ParamValue } from '../policy/model.js';

/** The engine parameters of a validated policy's parameters, typed (ratios as canonical decimal strings); built once, at compile time. */
export function engineParamsOf(params: Readonly<Record<string, ParamValue>>): EngineParams {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(ENGINE_PARAMS) as EngineParamName[]) {
    const v = params[name];
    out[name] = ENGINE_PARAMS[name].type === 'ratio' ? canonicalDecimal(v) : v;
  }
  return out as EngineParams;
}
