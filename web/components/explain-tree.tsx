import { t } from '../i18n';

export interface ExplainNode {
  all?: ExplainNode[];
  any?: ExplainNode[];
  not?: ExplainNode;
  fact?: string;
  operator?: string;
  expected?: { value?: unknown; param?: string; fact?: string };
  actual?: unknown;
  state: 'passed' | 'failed' | 'not_evaluated' | 'fact_missing';
}
export interface RuleEvaluation {
  ruleId: string;
  option: string;
  fired: boolean;
  outcome?: string;
  conditions: ExplainNode;
}

const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

function Node({ node }: { node: ExplainNode }) {
  const kids = node.all ?? node.any ?? (node.not ? [node.not] : undefined);
  if (kids) {
    const kind = node.all ? 'all' : node.any ? 'any' : 'not';
    return (
      <li class={`node s-${node.state}`}>
        <span class="state">{node.state}</span> <strong>{kind}</strong>
        <ul>
          {kids.map((k, i) => (
            <Node key={i} node={k} />
          ))}
        </ul>
      </li>
    );
  }
  const e = node.expected;
  return (
    <li class={`node leaf s-${node.state}`}>
      <span class="state">{node.state}</span> <code>{node.fact}</code> <em>{node.operator}</em>{' '}
      <span title={t('expected')}>
        {e?.param ? <code>{e.param}</code> : e?.fact ? <code>{e.fact}</code> : null}
        {e?.param || e?.fact ? ' = ' : ''}
        {show(e?.value)}
      </span>{' '}
      · {t('actual')}: <strong>{show(node.actual)}</strong>
    </li>
  );
}

/** The rule trees with the four condition states, each leaf showing actual against expected (and its parameter). */
export function ExplainTree({ rules }: { rules: RuleEvaluation[] }) {
  return (
    <ul class="rules">
      {rules.map((r) => (
        <li key={`${r.option}/${r.ruleId}`} class={r.fired ? 'fired' : 'unfired'}>
          <details open={r.fired}>
            <summary>
              <code>{r.ruleId}</code> {r.option} {r.fired ? `→ ${r.outcome ?? ''}` : ''}
            </summary>
            <ul class="tree">
              <Node node={r.conditions} />
            </ul>
          </details>
        </li>
      ))}
    </ul>
  );
}
