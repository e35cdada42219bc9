import { TideoverError, type ErrorCode, type FieldProblem } from '../core/errors.js';
import type { SimulationRequest } from '../generated/simulation-request.js';
import type { EvaluatorFactory } from '../ports/evaluator.js';
import { checkInput } from './input.js';
import { compilePolicyText } from './policy-text.js';
import { matchesPin, parsePolicyRef, type PolicySet } from './policy-set.js';
import type { SimulationSide } from './simulate.js';

/**
 * A simulation request (POST /v1/simulations) checked against its schema, with its baseline and candidate
 * resolved: a loaded version, or YAML text compiled here. Every side that cannot be had is reported at once.
 */
export function simulationSides(input: unknown, set: PolicySet, makeEvaluator: EvaluatorFactory): { body: SimulationRequest; baseline: SimulationSide; candidate: SimulationSide } {
  const body = checkInput<SimulationRequest>('simulationRequest', input, 'The simulation request does not match the schema.');
  const sides: Partial<Record<'baseline' | 'candidate', SimulationSide>> = {};
  const failures: { code: ErrorCode; detail: string; problems: FieldProblem[] }[] = [];
  for (const name of ['baseline', 'candidate'] as const) {
    const ref = body[name];
    if (ref.version !== undefined) {
      const pin = parsePolicyRef(ref.version)!; // the schema checked its shape
      const { version } = pin;
      const found = set.versions.filter((v) => matchesPin(v.policy, pin));
      const ids = [...new Set(found.map((v) => v.policy.id))];
      if (found.length === 1) sides[name] = found[0]!;
      else
        failures.push({
          code: 'NO_POLICY',
          detail: ids.length > 1 ? `The ${name} version ${ref.version} is ambiguous; give one of ${ids.map((x) => `${x}@${version}`).join(', ')}.` : `The ${name} policy version ${ref.version} is not loaded.`,
          problems: [{ pointer: `/${name}/version`, message: ids.length > 1 ? `ambiguous: ${ids.map((x) => `${x}@${version}`).join(', ')}` : `${ref.version} is not loaded; loaded: ${set.versions.map((v) => `${v.policy.id}@${v.policy.version}`).join(', ') || 'none'}` }],
        });
      continue;
    }
    const text = ref.policy!;
    const { policy, problems } = compilePolicyText(text, name);
    if (policy) {
      sides[name] = { policy, evaluator: makeEvaluator(policy) };
      continue;
    }
    const errors = problems.filter((p) => p.severity === 'error');
    failures.push({
      code: errors[0]?.code ?? 'POLICY_SEMANTIC',
      detail: `The ${name} policy does not load: ${errors.length} problem(s).`,
      problems: errors.map((p) => ({ pointer: `/${name}/policy`, message: `${p.line}:${p.column}: ${p.message}` })),
    });
  }
  if (failures.length) {
    const first = failures[0]!;
    throw new TideoverError(first.code, failures.map((f) => f.detail).join(' '), failures.flatMap((f) => f.problems));
  }
  return { body, baseline: sides.baseline!, candidate: sides.candidate! };
}
