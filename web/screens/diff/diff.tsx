import { call } from '../../api/client';
import { getDraft, listPublished, servingToday } from '../../api/policies';
import { t } from '../../i18n';
import { href, onLink } from '../../router';
import { DiffView } from '../../components/diff-view';
import { ErrorBox } from '../../components/error-box';
import { ImpactView, type ImpactLike } from '../../components/impact-view';
import { useAsync } from '../../components/use-async';

const RECENT_DAYS = 90;
const RECENT_LIMIT = 1000;

/** The most recent recorded applications (one page of at most 1,000 within 90 days, the simulation API's bound). */
async function recentApplications(): Promise<unknown[]> {
  const from = new Date(Date.now() - RECENT_DAYS * 86_400_000).toISOString().slice(0, 10);
  const page = await call<{ records: { application: unknown }[] }>('GET', `/v1/decisions?from=${from}&limit=${RECENT_LIMIT}`);
  return page.records.map((r) => r.application).filter((a) => a && typeof a === 'object');
}

/** The draft against the version serving today: the semantic diff, and its impact on recent recorded decisions. */
export function Diff({ policyId }: { policyId: string }) {
  const state = useAsync(async () => {
    const [draft, published] = await Promise.all([getDraft(policyId), listPublished()]);
    const serving = servingToday(published).get(policyId);
    if (!serving) throw new Error(`No version of ${policyId} serves today.`);
    const baseline = { version: `${policyId}@${serving.version}` };
    const diff = await call<unknown>('POST', '/v1/policies/diff', { baseline, candidate: { policy: draft.policy } });
    const applications = await recentApplications();
    const impact: ImpactLike = applications.length
      ? await call<ImpactLike>('POST', '/v1/simulations', { baseline, candidate: { policy: draft.policy }, applications })
      : { decisionsUsed: 0, note: `no decisions recorded in the last ${RECENT_DAYS} days` };
    return { diff, impact, serving: serving.version, draft: draft.version };
  }, [policyId]);
  return (
    <div>
      <h2>
        {t('diff')} · {policyId}
        {state.data ? ` ${state.data.serving} → ${state.data.draft ?? '?'}` : ''}
      </h2>
      <p>
        <a href={href({ screen: 'editor', policyId })} onClick={onLink}>
          {t('editor')}
        </a>{' '}
        ·{' '}
        <a href={href({ screen: 'changes' })} onClick={onLink}>
          {t('changes')}
        </a>
      </p>
      <ErrorBox error={state.error} />
      {state.loading && <p>{t('loading')}</p>}
      {state.data && (
        <>
          <DiffView diff={state.data.diff} />
          <ImpactView impact={state.data.impact} />
        </>
      )}
    </div>
  );
}
