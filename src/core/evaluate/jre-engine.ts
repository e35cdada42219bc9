import { Engine, Rule, type RuleProperties, type TopLevelCondition } from 'json-rules-engine';
import type { FactValue, Facts } from '../facts/catalog.js';
import type { CompiledPolicy, CompiledRule, ConditionNode, OptionType } from '../policy/model.js';
import { allOperatorImpls } from '../policy/operators.js';
import type { ConditionState, ExplainNode, RuleEvaluation } from './explain-model.js';

type EngineCondition = Record<string, unknown>;

function toEngine(node: ConditionNode): EngineCondition {
  switch (node.kind) {
    case 'all':
    case 'any':
      return { [node.kind]: node.children.map(toEngine) };
    case 'not':
      return { not: toEngine(node.child) };
    case 'leaf':
      return {
        fact: node.fact,
        operator: node.engineOperator,
        value: node.value.kind === 'fact' ? { fact: node.value.name } : node.value.value,
      };
  }
}

/** json-rules-engine wants all/any/not at the top; a bare leaf is wrapped and unwrapped again. */
function topLevel(node: ConditionNode): TopLevelCondition {
  return (node.kind === 'leaf' ? { all: [toEngine(node)] } : toEngine(node)) as TopLevelCondition;
}

interface AnnotatedCondition {
  all?: AnnotatedCondition[];
  any?: AnnotatedCondition[];
  not?: AnnotatedCondition;
  result?: boolean;
  factResult?: unknown;
  valueResult?: unknown;
}

function stateOf(c: AnnotatedCondition | undefined): ConditionState {
  if (!c || c.result === undefined) return 'not_evaluated';
  return c.result ? 'passed' : 'failed';
}

/** Merges the compiled tree (parameter names) with json-rules-engine's annotated result (values). */
export function explain(node: ConditionNode, c: AnnotatedCondition | undefined): ExplainNode {
  switch (node.kind) {
    case 'all':
    case 'any': {
      const kids = node.children.map((child, i) => explain(child, c?.[node.kind]?.[i]));
      return node.kind === 'all' ? { all: kids, state: stateOf(c) } : { any: kids, state: stateOf(c) };
    }
    case 'not':
      return { not: explain(node.child, c?.not), state: stateOf(c) };
    case 'leaf': {
      let state = stateOf(c);
      if (state !== 'not_evaluated' && c?.factResult === undefined) state = 'fact_missing';
      const v = node.value;
      return {
        fact: node.fact,
        operator: node.operator,
        expected:
          v.kind === 'param' ? { param: v.name, value: v.value } : v.kind === 'fact' ? { fact: v.name, value: c?.valueResult ?? null } : { value: v.value },
        actual: state === 'not_evaluated' ? null : ((c?.factResult as FactValue) ?? null),
        state,
      };
    }
  }
}

/**
 * The reference evaluator: json-rules-engine itself, one engine per option of a policy version,
 * built once and reused for every request.
 */
export class JreEvaluator {
  private readonly engines = new Map<OptionType, Engine>();
  private readonly rules = new Map<string, CompiledRule>();

  constructor(policy: CompiledPolicy) {
    for (const rule of policy.rules) {
      this.rules.set(rule.id, rule);
      for (const option of rule.options) {
        let engine = this.engines.get(option);
        if (!engine) {
          engine = new Engine([], { allowUndefinedFacts: true });
          for (const op of allOperatorImpls()) engine.addOperator(op.name, op.fn);
          this.engines.set(option, engine);
        }
        const props: RuleProperties = { name: rule.id, priority: rule.priority, conditions: topLevel(rule.condition), event: { type: rule.id } };
        engine.addRule(new Rule(props));
      }
    }
  }

  /**
   * An Engine keeps run state on itself: a run that finishes while another is between priority sets
   * makes the other skip its remaining rules. So runs on one engine are queued, one at a time.
   */
  private readonly queues = new Map<OptionType, Promise<unknown>>();

  async evaluate(option: OptionType, facts: Facts): Promise<RuleEvaluation[]> {
    const engine = this.engines.get(option);
    if (!engine) return [];
    const run = (this.queues.get(option) ?? Promise.resolve()).then(() => engine.run({ ...facts } as Record<string, unknown>));
    this.queues.set(option, run.catch(() => undefined));
    const { results, failureResults } = await run;
    const out: RuleEvaluation[] = [];
    for (const [fired, list] of [[true, results], [false, failureResults]] as const) {
      for (const r of list) {
        const rule = this.rules.get(String(r.name))!;
        const annotated = (r.conditions as unknown as AnnotatedCondition);
        const root = rule.condition.kind === 'leaf' ? annotated.all?.[0] : annotated;
        const conditions = explain(rule.condition, root);
        // json-rules-engine never annotates the root all/any/not; its result is the rule's own.
        if (rule.condition.kind !== 'leaf') conditions.state = fired ? 'passed' : 'failed';
        out.push({ ruleId: rule.id, option, fired, outcome: rule.outcome, conditions });
      }
    }
    return out;
  }
}
