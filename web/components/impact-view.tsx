import { t } from '../i18n';

interface Counts {
  version?: string;
  policy?: { version: string };
  byOption?: Record<string, Record<string, number>>;
  accountActions?: Record<string, number>;
}
interface Changed {
  applicationId: string;
  option: string;
  from: string;
  to: string;
  rulesOnlyInBaseline: string[];
  rulesOnlyInCandidate: string[];
}
export interface ImpactLike {
  decisionsUsed?: number;
  applications?: number;
  note?: string;
  baseline?: Counts | unknown;
  candidate?: Counts | unknown;
  transitions?: Record<string, Record<string, number>> | unknown;
  changedApplications?: number;
  changed?: unknown[];
}

function CountsTable({ before, after }: { before: Counts; after: Counts }) {
  const rows: [string, string, number, number][] = [];
  const options = new Set([...Object.keys(before.byOption ?? {}), ...Object.keys(after.byOption ?? {})]);
  for (const o of options) {
    const decisions = new Set([...Object.keys(before.byOption?.[o] ?? {}), ...Object.keys(after.byOption?.[o] ?? {})]);
    for (const d of decisions) rows.push([o, d, before.byOption?.[o]?.[d] ?? 0, after.byOption?.[o]?.[d] ?? 0]);
  }
  for (const a of new Set([...Object.keys(before.accountActions ?? {}), ...Object.keys(after.accountActions ?? {})]))
    rows.push(['ACCOUNT_ACTION', a, before.accountActions?.[a] ?? 0, after.accountActions?.[a] ?? 0]);
  const v = (c: Counts) => c.version ?? c.policy?.version ?? '';
  return (
    <table class="grid num">
      <caption class="hint">
        {t('before')} {v(before)} → {t('after')} {v(after)}
      </caption>
      <thead>
        <tr>
          <th scope="col">{t('option')}</th>
          <th scope="col">{t('decision')}</th>
          <th scope="col">{t('before')}</th>
          <th scope="col">{t('after')}</th>
          <th scope="col">Δ</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([o, d, b, a]) => (
          <tr key={`${o}/${d}`} class={a !== b ? 'changed' : ''}>
            <th scope="row">{o}</th>
            <td>{d}</td>
            <td>{b}</td>
            <td>{a}</td>
            <td>{a - b > 0 ? `+${a - b}` : a - b}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Transitions({ transitions }: { transitions: Record<string, Record<string, number>> }) {
  return (
    <>
      {Object.entries(transitions).map(([option, pairs]) => {
        const from = [...new Set(Object.keys(pairs).map((k) => k.split('→')[0]!))];
        const to = [...new Set(Object.keys(pairs).map((k) => k.split('→')[1]!))];
        return (
          <table key={option} class="grid matrix num">
            <caption>
              {option}: {t('before')} ↓ / {t('after')} →
            </caption>
            <thead>
              <tr>
                <th scope="col" />
                {to.map((x) => (
                  <th scope="col" key={x}>
                    {x}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {from.map((f) => (
                <tr key={f}>
                  <th scope="row">{f}</th>
                  {to.map((x) => (
                    <td key={x} class={f !== x && pairs[`${f}→${x}`] ? 'changed' : ''}>
                      {pairs[`${f}→${x}`] ?? ''}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
    </>
  );
}

/** Counts per option decision before and after, the transition matrix, and each changed application with the rules that made the difference. */
export function ImpactView({ impact }: { impact: ImpactLike }) {
  const changed = (impact.changed ?? []) as Changed[];
  const byApp = new Map<string, Changed[]>();
  for (const c of changed) byApp.set(c.applicationId, [...(byApp.get(c.applicationId) ?? []), c]);
  const used = impact.decisionsUsed ?? impact.applications ?? 0;
  return (
    <section data-testid="impact" aria-label={t('impact')}>
      <h3>{t('impact')}</h3>
      <p>
        {t('decisionsUsed')}: <strong data-testid="decisions-used">{used}</strong>
        {impact.note ? ` — ${impact.note}` : ''}
      </p>
      {impact.baseline && impact.candidate ? <CountsTable before={impact.baseline as Counts} after={impact.candidate as Counts} /> : null}
      {impact.transitions ? (
        <>
          <h4>{t('transitions')}</h4>
          <div class="matrices">
            <Transitions transitions={impact.transitions as Record<string, Record<string, number>>} />
          </div>
        </>
      ) : null}
      <h4>
        {t('changedApplications')}: {impact.changedApplications ?? byApp.size}
      </h4>
      <ul class="plain changed-apps">
        {[...byApp.entries()].map(([app, list]) => (
          <li key={app}>
            <details>
              <summary>
                <code>{app}</code>: {list.map((c) => `${c.option} ${c.from}→${c.to}`).join('; ')}
              </summary>
              <table class="grid">
                <thead>
                  <tr>
                    <th scope="col">{t('option')}</th>
                    <th scope="col">{t('before')}</th>
                    <th scope="col">{t('after')}</th>
                    <th scope="col">{t('firedRules')} ({t('before')} only)</th>
                    <th scope="col">{t('firedRules')} ({t('after')} only)</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((c) => (
                    <tr key={c.option}>
                      <td>{c.option}</td>
                      <td>{c.from}</td>
                      <td>{c.to}</td>
                      <td>{c.rulesOnlyInBaseline.join(', ')}</td>
                      <td>{c.rulesOnlyInCandidate.join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
