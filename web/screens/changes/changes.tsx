import { useState } from 'preact/hooks';
import { problemText } from '../../api/client';
import { approveChange, getDraft, listChanges, rejectChange, submitDraft, type Change } from '../../api/policies';
import { t } from '../../i18n';
import { DiffView } from '../../components/diff-view';
import { ErrorBox } from '../../components/error-box';
import { ImpactView } from '../../components/impact-view';
import { useAsync } from '../../components/use-async';

function Decide({ change, onDone }: { change: Change; onDone: () => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const act = async (f: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await f();
      onDone();
    } catch (e) {
      setError(problemText(e));
    }
  };
  const id = `decide-${change.id}`;
  return (
    <div class="row">
      <label for={id}>
        {t('comment')} / {t('reason')}
      </label>
      <input id={id} data-testid="change-comment" value={text} onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)} />
      <button type="button" data-testid="approve" onClick={() => act(() => approveChange(change.id, text))}>
        {t('approve')}
      </button>
      <button type="button" class="danger" data-testid="reject" disabled={!text.trim()} title={t('reason')} onClick={() => act(() => rejectChange(change.id, text.trim()))}>
        {t('reject')}
      </button>
      <ErrorBox error={error} />
    </div>
  );
}

/** Submit a draft; approvers see pending changes with diff and impact and approve or reject (the API's maker–checker rules apply). */
export function Changes() {
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [submitId, setSubmitId] = useState('restructuring');
  const state = useAsync(async () => ({ pending: await listChanges('PENDING'), decided: (await listChanges()).filter((c) => c.status !== 'PENDING').slice(-10) }), []);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setNotice(undefined);
    try {
      await getDraft(submitId);
      const c = await submitDraft(submitId);
      setNotice(`${c.policyId}@${c.version} → ${c.status} (${c.id})`);
      state.reload();
    } catch (err) {
      setError(problemText(err));
    }
  };
  return (
    <div data-testid="changes">
      <h2>{t('changes')}</h2>
      <form class="row" onSubmit={submit}>
        <label>
          {t('policyId')}
          <input value={submitId} onInput={(e) => setSubmitId((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit" data-testid="submit">
          {t('submit')}
        </button>
      </form>
      {notice && (
        <p role="status" class="ok">
          {notice}
        </p>
      )}
      <ErrorBox error={error ?? state.error} />
      <h3>{t('pendingChanges')}</h3>
      {state.data?.pending.length === 0 && <p>{t('none')}</p>}
      {state.data?.pending.map((c) => (
        <article key={c.id} class="card change" data-change-id={c.id}>
          <h4>
            {c.policyId}@{c.version} {c.replaces ? `(${c.replaces} →)` : ''} · {t('submittedBy')} {c.submittedBy} · {c.submittedAt}
          </h4>
          <DiffView diff={c.diff} />
          <ImpactView impact={c.impact} />
          <Decide change={c} onDone={state.reload} />
        </article>
      ))}
      {state.data && state.data.decided.length > 0 && (
        <>
          <h3>{t('status')}</h3>
          <ul>
            {state.data.decided.map((c) => (
              <li key={c.id} data-status={c.status}>
                {c.policyId}@{c.version}: {c.status} · {c.decidedBy} · {c.comment ?? c.reason ?? ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
