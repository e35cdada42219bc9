import { useState } from 'preact/hooks';
import { call, problemText } from '../../api/client';
import { t } from '../../i18n';
import { ErrorBox } from '../../components/error-box';

interface AuditEvent {
  seq: number;
  type: string;
  at: string;
  hash: string;
  data: { policyId?: string; version?: string; sha256?: string; author?: string; submittedBy?: string; approvedBy?: string; rejectedBy?: string; comment?: string; reason?: string; origin?: string };
}

/** The chain's publication records: which version was approved or rejected, by whom, when and why. */
export function PolicyEvents() {
  const [events, setEvents] = useState<AuditEvent[]>();
  const [error, setError] = useState<string>();
  const load = async () => {
    setError(undefined);
    try {
      setEvents((await call<{ events: AuditEvent[] }>('GET', '/v1/audit/events')).events);
    } catch (e) {
      setError(problemText(e));
    }
  };
  return (
    <section aria-label={t('policyEvents')}>
      <button type="button" class="secondary" data-testid="policy-events" onClick={load}>
        {t('policyEvents')}
      </button>
      <ErrorBox error={error} />
      {events && (
        <div class="scroll">
          <table class="grid">
            <thead>
              <tr>
                <th scope="col">seq</th>
                <th scope="col">{t('decidedAt')}</th>
                <th scope="col">{t('policy')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('authoredBy')}</th>
                <th scope="col">{t('approvedBy')}</th>
                <th scope="col">{t('comment')}</th>
              </tr>
            </thead>
            <tbody>
              {[...events].reverse().map((e) => (
                <tr key={e.seq}>
                  <td>{e.seq}</td>
                  <td>{e.at}</td>
                  <td>
                    {e.data.policyId}@{e.data.version} <code title="sha256">{e.data.sha256?.slice(0, 12)}</code>
                  </td>
                  <td>{e.type}</td>
                  <td>{e.data.author ?? e.data.submittedBy}</td>
                  <td>{e.data.approvedBy ?? e.data.rejectedBy}</td>
                  <td>{e.data.comment ?? e.data.reason ?? e.data.origin ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
