import type { ExplainNode, RuleEvaluation } from '../evaluate/explain-model.js';

/**
 * The JSON text of rule evaluations, `JSON.stringify(rules)`, written faster than V8's generic
 * serializer (~5 µs per KB on rule trees). Most of a tree is constant per policy: a leaf's fact, operator and
 * expected value (one `expected` object per compiled leaf, shared by every explanation of it) are written
 * once and kept, so a leaf costs its actual value and state; and a rule evaluation the compiled evaluator
 * reused (same fact values, see MemoRule) is written once. Explanations are never mutated, so text kept for an object
 * stays its text.
 *
 * The trees are written for the shapes schemas/decision.schema.json gives them, in the member order both
 * evaluators build them (ruleId, option, fired, outcome, conditions; all/any/not then state; fact, operator,
 * expected, actual, state); tests hold the result equal to JSON.stringify for every policy test case with
 * both evaluators and for generated trees. Rules read back with other member orders are written in this one.
 *
 * The text goes to `out` as pieces (each rule's kept text whole): written one after the other they make the
 * bytes, without first joining them into one string.
 */
export function rulesJsonParts(rules: readonly RuleEvaluation[], out: string[]): void {
  if (rules.length === 0) return void out.push('[]');
  for (let i = 0; i < rules.length; i++) {
    out.push(i ? ',' : '[');
    out.push(ruleJson(rules[i]!));
  }
  out.push(']');
}

/**
 * A rule evaluation's text, kept on the evaluation itself (the compiled evaluator hands the same evaluation
 * back while the facts its rule reads are the same, see MemoRule), as a property JSON and deep equality do
 * not see. Not in a WeakMap: its entries outlived V8's scavenges, so every new text was promoted to the old
 * generation.
 */
const TEXT = Symbol('rule JSON text');

function ruleJson(r: RuleEvaluation): string {
  const kept = (r as { [TEXT]?: string })[TEXT];
  if (kept !== undefined) return kept;
  const { ruleId, option, fired, outcome, conditions } = r;
  let text = `{"ruleId":${str(ruleId)},"option":${str(option)},"fired":${fired ? 'true' : 'false'}`;
  if (outcome !== undefined) text += `,"outcome":${str(outcome)}`;
  text = flat(`${text},"conditions":${nodeJson(conditions)}}`);
  if (Object.isExtensible(r)) Object.defineProperty(r, TEXT, { value: text });
  return text;
}

/** A leaf's constant head `{"fact":…,"operator":…,"expected":…,"actual":`, by its shared `expected` object. */
const heads = new WeakMap<object, { fact: string; operator: string; text: string }>();

const STATES: Record<string, string> = { passed: '"passed"', failed: '"failed"', not_evaluated: '"not_evaluated"', fact_missing: '"fact_missing"' };

function state(s: string): string {
  return STATES[s] ?? str(s);
}

function nodeJson(n: ExplainNode): string {
  if (typeof n.state !== 'string') return JSON.stringify(n);
  if (n.all !== undefined) return `{"all":${listJson(n.all)},"state":${state(n.state)}}`;
  if (n.any !== undefined) return `{"any":${listJson(n.any)},"state":${state(n.state)}}`;
  if (n.not !== undefined) return `{"not":${nodeJson(n.not)},"state":${state(n.state)}}`;
  return leafJson(n);
}

function listJson(list: readonly ExplainNode[]): string {
  let out = '[';
  for (let i = 0; i < list.length; i++) out += i ? `,${nodeJson(list[i]!)}` : nodeJson(list[i]!);
  return `${out}]`;
}

function leafJson(n: ExplainNode): string {
  const { fact, operator, expected } = n;
  if (fact === undefined || operator === undefined || expected === undefined || n.actual === undefined) return JSON.stringify(n);
  let head = heads.get(expected);
  if (head === undefined || head.fact !== fact || head.operator !== operator) {
    head = { fact, operator, text: `{"fact":${str(fact)},"operator":${str(operator)},"expected":${JSON.stringify(expected)},"actual":` };
    heads.set(expected, head);
  }
  return `${head.text}${value(n.actual)},"state":${state(n.state)}}`;
}

function value(v: unknown): string {
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      if (v === null) return 'null';
  }
  return JSON.stringify(v);
}

const str = (s: string): string => JSON.stringify(s);

/** Written so the read that flattens is not optimised away. */
let _flattened = 0;
/**
 * The string made contiguous. Text built by concatenation is a tree of pieces that V8 walks slowly when it
 * measures or encodes it (flattening a 45 KB answer of ~5,000 pieces took longer than writing it); a rule's
 * text is kept and reused by most decisions (its evaluation is reused whenever its facts repeat), so it is
 * flattened once, and an answer is a few hundred contiguous pieces. Reading a character makes V8 flatten.
 */
function flat(s: string): string {
  _flattened ^= s.charCodeAt(0);
  return s;
}
