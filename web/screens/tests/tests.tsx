import { useState } from 'preact/hooks';
import { problemText } from '../../api/client';
import { getDraft, type Draft } from '../../api/policies';
import { caseResults } from '../../api/test-cases';
import { t } from '../../i18n';
import { href, onLink } from '../../router';
import { ErrorBox } from '../../components/error-box';

/** Runs the draft's test cases on the service (the same check as `tideover policy check --coverage`). */
export function Tests({ policyId }: { policyId: string }) {
  const [draft, setDraft] = useState<Draft>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setDraft(await getDraft(policyId));
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };
  const results = draft ? caseResults(draft.tests, draft.check) : [];
  const failed = results.filter((r) => !r.passed);
  return (
    <div>
      <h2>
        {t('tests')} · {policyId}
        {draft?.version ? `@${draft.version}` : ''}
      </h2>
      <div class="row">
        <button type="button" data-testid="run-tests" onClick={run} disabled={busy}>
          {busy ? t('loading') : t('runTests')}
        </button>
        <a href={href({ screen: 'editor', policyId })} onClick={onLink}>
          {t('editor')}
        </a>
      </div>
      <ErrorBox error={error} />
      {draft && (
        <>
          <section data-testid="test-results" aria-label={t('testCases')}>
            <h3>
              {t('testCases')}: {draft.check.tests.passed}/{draft.check.tests.cases} {t('passed')}
              {draft.check.tests.failed ? `, ${draft.check.tests.failed} ${t('failed')}` : ''}
            </h3>
            {failed.length > 0 && (
              <ul class="bad">
                {failed.map((r) => (
                  <li key={r.name}>
                    ✗ <strong>{r.name}</strong> ({r.at}) — {t('firstDifference')}: {r.firstDifference}
                  </li>
                ))}
              </ul>
            )}
            <details>
              <summary>
                {results.length} {t('testCases')}
              </summary>
              <ul class="plain">
                {results.map((r) => (
                  <li key={r.name} class={r.passed ? 'ok' : 'bad'}>
                    {r.passed ? '✓' : '✗'} {r.name}
                  </li>
                ))}
              </ul>
            </details>
          </section>
          <section data-testid="coverage" aria-label={t('coverage')}>
            <h3>{t('coverage')}</h3>
            <p>
              {t('neverFired')}: {draft.check.coverage.filter((c) => c.fired === 0).map((c) => c.ruleId).join(', ') || t('none')}
            </p>
            <p>
              {t('neverFailed')}: {draft.check.coverage.filter((c) => c.notFired === 0).map((c) => c.ruleId).join(', ') || t('none')}
            </p>
            <div class="scroll" style={{ maxHeight: '20rem' }}>
              <table class="grid num">
                <thead>
                  <tr>
                    <th scope="col">Rule</th>
                    <th scope="col">fired</th>
                    <th scope="col">not fired</th>
                  </tr>
                </thead>
                <tbody>
                  {draft.check.coverage.map((c) => (
                    <tr key={c.ruleId} class={c.fired === 0 ? 'bad' : ''}>
                      <td>{c.ruleId}</td>
                      <td>{c.fired}</td>
                      <td>{c.notFired}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </div>
  );
}
