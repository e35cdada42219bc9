import { call } from '../../api/client';
import { t } from '../../i18n';
import { href, onLink } from '../../router';
import { ErrorBox } from '../../components/error-box';
import { useAsync } from '../../components/use-async';

interface Published {
  id: string;
  version: string;
  sha256: string;
  effectiveFrom: string;
  effectiveTo?: string;
  owner?: string;
  author?: string;
  approvedBy?: string;
  approval?: { author?: string; approvedBy?: string; submittedBy?: string };
  rules?: number;
}
interface DraftRow {
  policyId: string;
  version: string | null;
  updatedBy: string;
  updatedAt: string;
  check?: { valid: boolean; submittable: boolean };
}
interface ChangeRow {
  id: string;
  policyId: string;
  version: string;
  submittedBy: string;
  submittedAt: string;
  status: string;
}

/** The version of each policy that serves today: the latest effectiveFrom on or before today, not ended. */
export function servingToday(list: Published[], today = new Date().toISOString().slice(0, 10)): Set<string> {
  const best = new Map<string, Published>();
  for (const p of list) {
    if (p.effectiveFrom > today || (p.effectiveTo && p.effectiveTo < today)) continue;
    const cur = best.get(p.id);
    if (!cur || p.effectiveFrom > cur.effectiveFrom || (p.effectiveFrom === cur.effectiveFrom && p.version > cur.version)) best.set(p.id, p);
  }
  return new Set([...best.values()].map((p) => `${p.id}@${p.version}`));
}

// Drafts and changes need author/approver roles; a key without them still sees the published list.
const optional = <T,>(p: Promise<T>) => p.catch(() => undefined);

export function Policies() {
  const state = useAsync(async () => {
    const [pub, drafts, changes] = await Promise.all([
      call<{ policies: Published[] }>('GET', '/v1/policies'),
      optional(call<{ drafts: DraftRow[] } | DraftRow[]>('GET', '/v1/policy-drafts')),
      optional(call<{ changes: ChangeRow[] } | ChangeRow[]>('GET', '/v1/policy-changes?status=PENDING')),
    ]);
    const list = <R,>(x: { [k: string]: R[] } | R[] | undefined, k: string): R[] => (Array.isArray(x) ? x : (x?.[k] ?? []));
    return { published: pub.policies, drafts: list<DraftRow>(drafts as never, 'drafts'), changes: list<ChangeRow>(changes as never, 'changes') };
  }, []);
  const d = state.data;
  const serving = d ? servingToday(d.published) : new Set<string>();
  return (
    <div data-testid="policy-list">
      <h2>{t('policies')}</h2>
      <ErrorBox error={state.error} />
      {state.loading && !d && <p>{t('loading')}</p>}
      {d && (
        <>
          <div class="scroll">
            <table class="grid">
              <thead>
                <tr>
                  <th scope="col">{t('policyId')}</th>
                  <th scope="col">{t('version')}</th>
                  <th scope="col">{t('effectiveFrom')}</th>
                  <th scope="col">{t('authoredBy')}</th>
                  <th scope="col">{t('approvedBy')}</th>
                  <th scope="col">sha256</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {d.published.map((p) => (
                  <tr key={`${p.id}@${p.version}`}>
                    <td>{p.id}</td>
                    <td>
                      {p.version} {serving.has(`${p.id}@${p.version}`) && <span class="badge ok">{t('serving')}</span>}
                    </td>
                    <td>
                      {p.effectiveFrom}
                      {p.effectiveTo ? ` → ${p.effectiveTo}` : ''}
                    </td>
                    <td>{p.author ?? p.approval?.author ?? p.owner ?? '—'}</td>
                    <td>{p.approvedBy ?? p.approval?.approvedBy ?? '—'}</td>
                    <td>
                      <code>{p.sha256.slice(0, 12)}</code>
                    </td>
                    <td class="links">
                      <a href={href({ screen: 'editor', policyId: p.id })} onClick={onLink}>
                        {t('editor')}
                      </a>{' '}
                      <a href={href({ screen: 'tests', policyId: p.id })} onClick={onLink}>
                        {t('tests')}
                      </a>{' '}
                      <a href={href({ screen: 'diff', policyId: p.id })} onClick={onLink}>
                        {t('diff')}
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>{t('drafts')}</h3>
          {d.drafts.length === 0 ? (
            <p>{t('none')}</p>
          ) : (
            <ul>
              {d.drafts.map((x) => (
                <li key={x.policyId}>
                  <a href={href({ screen: 'editor', policyId: x.policyId })} onClick={onLink}>
                    {x.policyId}@{x.version ?? '?'}
                  </a>{' '}
                  · {x.updatedBy} · {x.updatedAt}
                  {x.check ? ` · ${x.check.submittable ? '✓' : '✗'}` : ''}
                </li>
              ))}
            </ul>
          )}
          <h3>{t('pendingChanges')}</h3>
          {d.changes.length === 0 ? (
            <p>{t('none')}</p>
          ) : (
            <ul>
              {d.changes.map((c) => (
                <li key={c.id}>
                  <a href={href({ screen: 'changes' })} onClick={onLink}>
                    {c.policyId}@{c.version}
                  </a>{' '}
                  · {c.submittedBy} · {c.submittedAt}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
