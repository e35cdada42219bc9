import { call } from '../../api/client';
import { servingToday, type Published } from '../../api/policies';
import { t } from '../../i18n';
import { href, onLink } from '../../router';
import { ErrorBox } from '../../components/error-box';
import { useAsync } from '../../components/use-async';

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
  const serving = new Set(d ? [...servingToday(d.published).values()].map((p) => `${p.id}@${p.version}`) : []);
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
                    <td>{p.author ?? p.owner ?? '—'}</td>
                    <td>{p.approvedBy ?? '—'}</td>
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
