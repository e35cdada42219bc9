import { useState } from 'preact/hooks';
import { problemText } from '../../api/client';
import { getDraft, saveTests } from '../../api/policies';
import { t } from '../../i18n';
import type { DecisionLike } from '../../components/decision-view';
import { appendCase } from '../../api/test-cases';

export function SaveAsTest({ policyId, application, result }: { policyId: string; application: string; result: DecisionLike }) {
  const [name, setName] = useState('');
  const [status, setStatus] = useState<string>();
  const save = async (e: Event) => {
    e.preventDefault();
    setStatus(undefined);
    try {
      const draft = await getDraft(policyId);
      const next = appendCase(draft.tests ?? 'apiVersion: tideover.dev/v1\nkind: PolicyTests\ncases: []\n', name.trim(), JSON.parse(application), result);
      const saved = await saveTests(policyId, next);
      setStatus(`${t('saved')} ${saved.check.tests.passed}/${saved.check.tests.cases} ${t('passed')}`);
    } catch (err) {
      setStatus(problemText(err));
    }
  };
  return (
    <form class="row card" onSubmit={save}>
      <label>
        {t('testName')}
        <input required value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} data-testid="test-name" />
      </label>
      <button type="submit" class="secondary" data-testid="save-as-test" disabled={!name.trim()}>
        {t('saveAsTest')}
      </button>
      {status && <p role="status">{status}</p>}
    </form>
  );
}
