import type { DraftCheck } from '../api/policies';
import { t } from '../i18n';

/** What the service said about the saved draft: valid, tests, and whether (and why not) it can be submitted. */
export function CheckSummary({ check }: { check: DraftCheck }) {
  return (
    <div class="card" role="status" data-testid="draft-check">
      <p>
        <span class={check.valid ? 'ok' : 'bad'}>{check.valid ? '✓ valid' : `✗ ${check.errors.length} error(s)`}</span> · {t('testCases')}: {check.tests.passed}/{check.tests.cases} {t('passed')}
        {check.tests.failed ? `, ${check.tests.failed} ${t('failed')}` : ''} · <span class={check.submittable ? 'ok' : 'bad'}>{check.submittable ? '✓ submittable' : '✗ not submittable'}</span>
      </p>
      {check.refusals.length > 0 && (
        <ul>
          {check.refusals.map((r) => (
            <li key={r.reason}>
              <code>{r.reason}</code> {r.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
