import { useState } from 'preact/hooks';
import { api, must, problemText } from '../../api/client';
import { t } from '../../i18n';
import { DecisionView, type DecisionLike } from '../../components/decision-view';
import { ErrorBox } from '../../components/error-box';
import { useAsync } from '../../components/use-async';
import { PolicyEvents } from './policy-events';

interface RecordRow {
  seq: number;
  decisionId: string;
  decidedAt: string;
  applicationId: string;
  callerKeyId: string;
  policy: { id: string; version: string; sha256?: string };
  decision: unknown;
}

function RecordView({ id }: { id: string }) {
  const loaded = useAsync(async () => must(await api.GET('/v1/decisions/{id}', { params: { path: { id }, query: { explain: 'full' } } })) as unknown as RecordRow, [id]);
  const record = loaded.data;
  const [replay, setReplay] = useState<{ identical: boolean; differences: unknown[] }>();
  const [replayError, setError] = useState<string>();
  const error = loaded.error ?? replayError;
  const doReplay = async () => {
    try {
      setReplay(must(await api.POST('/v1/decisions/{id}/replay', { params: { path: { id } } })) as { identical: boolean; differences: unknown[] });
    } catch (e) {
      setError(problemText(e));
    }
  };
  return (
    <article data-testid="audit-record" class="card">
      <ErrorBox error={error} />
      {loaded.loading && <p>{t('loading')}</p>}
      {record && (
        <>
          <h3>
            {record.applicationId} · <code>{record.decisionId}</code>
          </h3>
          <dl class="facts">
            <dt>{t('decidedAt')}</dt>
            <dd>{record.decidedAt}</dd>
            <dt>{t('policy')}</dt>
            <dd>
              {record.policy.id}@{record.policy.version} <code title="sha256">{record.policy.sha256?.slice(0, 12)}</code>
            </dd>
            <dt>seq</dt>
            <dd>{record.seq}</dd>
          </dl>
          <button type="button" onClick={doReplay} data-testid="replay">
            {t('replay')}
          </button>
          {replay && (
            <p role="status" class={replay.identical ? 'ok' : 'bad'}>
              {replay.identical ? t('identical') : `${t('differences')}: ${JSON.stringify(replay.differences).slice(0, 2000)}`}
            </p>
          )}
          <DecisionView result={record.decision as DecisionLike} />
        </>
      )}
    </article>
  );
}

/** Find recorded decisions by application id or date range, open one with its rebuilt explanation, replay it, verify the chain. */
export function Audit() {
  const [applicationId, setApplicationId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [rows, setRows] = useState<RecordRow[]>();
  const [open, setOpen] = useState<string>();
  const [verify, setVerify] = useState<{ ok: boolean; records: number; firstBrokenId?: string; reason?: string }>();
  const [error, setError] = useState<string>();

  const search = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setOpen(undefined);
    const query: Record<string, string> = { limit: '200' };
    if (applicationId.trim()) query.applicationId = applicationId.trim();
    if (from) query.from = from;
    if (to) query.to = to;
    try {
      setRows(must(await api.GET('/v1/decisions', { params: { query } })).records as unknown as RecordRow[]);
    } catch (err) {
      setError(problemText(err));
    }
  };
  const doVerify = async () => {
    try {
      setVerify(must(await api.GET('/v1/audit/verify')));
    } catch (err) {
      setError(problemText(err));
    }
  };

  return (
    <div>
      <h2>{t('audit')}</h2>
      <form data-testid="audit-search" class="row" onSubmit={search} role="search">
        <label>
          {t('applicationId')}
          <input name="applicationId" value={applicationId} onInput={(e) => setApplicationId((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label>
          {t('from')}
          <input type="date" name="from" value={from} onInput={(e) => setFrom((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label>
          {t('to')}
          <input type="date" name="to" value={to} onInput={(e) => setTo((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit">{t('search')}</button>
        <button type="button" class="secondary" data-testid="verify" onClick={doVerify}>
          {t('verify')}
        </button>
      </form>
      {verify && (
        <p role="status" data-testid="verify-result" class={verify.ok ? 'ok' : 'bad'}>
          {verify.ok ? t('chainOk') : t('chainBroken')}: {verify.records} {t('records')}
          {verify.firstBrokenId ? ` · ${verify.firstBrokenId} ${verify.reason ?? ''}` : ''}
        </p>
      )}
      <ErrorBox error={error} />
      {rows && rows.length === 0 && <p>{t('noResults')}</p>}
      {rows && rows.length > 0 && (
        <div class="scroll">
          <table class="grid">
            <thead>
              <tr>
                <th scope="col">{t('decidedAt')}</th>
                <th scope="col">{t('applicationId')}</th>
                <th scope="col">{t('policy')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {[...rows].reverse().map((r) => (
                <tr key={r.decisionId}>
                  <td>{r.decidedAt}</td>
                  <td>{r.applicationId}</td>
                  <td>
                    {r.policy.id}@{r.policy.version}
                  </td>
                  <td>
                    <button type="button" class="secondary" data-decision-id={r.decisionId} onClick={() => setOpen(r.decisionId)} aria-label={`${t('open')} ${r.decisionId}`}>
                      {t('open')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open && <RecordView key={open} id={open} />}
      <PolicyEvents />
    </div>
  );
}
