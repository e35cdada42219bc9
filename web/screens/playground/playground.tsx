import { useState } from 'preact/hooks';
import example from '../../../examples/application.json';
import { call, problemText } from '../../api/client';
import { t } from '../../i18n';
import { DecisionView, type DecisionLike } from '../../components/decision-view';
import { ErrorBox } from '../../components/error-box';
import { SaveAsTest } from './save-as-test';

type Mode = 'draft' | 'serving';
const STORE = 'tideover.playground';

/** Where the JSON fails to parse, as line:column, so a pasted application's typo is found at once. */
function parseJson(text: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    const msg = (e as Error).message;
    const at = /position (\d+)/.exec(msg);
    if (!at) return { error: `${t('invalidJson')}: ${msg}` };
    const before = text.slice(0, Number(at[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return { error: `${t('invalidJson')} (${line}:${column}): ${msg}` };
  }
}

export function Playground({ policyId }: { policyId: string }) {
  const [text, setText] = useState(() => sessionStorage.getItem(STORE) ?? JSON.stringify(example, null, 2));
  const [mode, setMode] = useState<Mode>('draft');
  const [result, setResult] = useState<DecisionLike & { recorded?: boolean }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setError(undefined);
    const parsed = parseJson(text);
    if (parsed.error) return setError(parsed.error);
    sessionStorage.setItem(STORE, text);
    setBusy(true);
    try {
      const answer =
        mode === 'draft'
          ? await call<Record<string, unknown>>('POST', `/v1/policy-drafts/${encodeURIComponent(policyId)}/try`, parsed.value)
          : await call<Record<string, unknown>>('POST', '/v1/decisions?explain=full', parsed.value); // every rule, as the draft's try shows
      // The try route may wrap the decision ({recorded: false, decision}); the decide route answers it bare.
      const decision = (answer.decision && typeof answer.decision === 'object' ? answer.decision : answer) as unknown as DecisionLike;
      setResult({ ...decision, recorded: mode === 'serving' });
    } catch (e) {
      setResult(undefined);
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="playground">
      <h2>{t('playground')}</h2>
      <div class="split">
        <section class="input">
          <label for="playground-input">{t('application')}</label>
          <textarea id="playground-input" data-testid="playground-input" spellcheck={false} rows={24} value={text} onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} />
          <fieldset class="inline">
            <legend>{t('decideWith')}</legend>
            <label>
              <input type="radio" name="mode" value="draft" checked={mode === 'draft'} onChange={() => setMode('draft')} /> {policyId}: {t('draft')}
            </label>
            <label>
              <input type="radio" name="mode" value="serving" checked={mode === 'serving'} onChange={() => setMode('serving')} /> {t('servingRecorded')}
            </label>
          </fieldset>
          <button type="button" data-testid="playground-run" onClick={run} disabled={busy}>
            {busy ? t('loading') : t('run')}
          </button>
          <ErrorBox error={error} />
        </section>
        <section class="output" aria-live="polite">
          {result && (
            <>
              <p class="hint">
                {result.recorded ? `${t('recorded')}: ${result.decisionId ?? ''}` : t('notRecorded')}
              </p>
              <DecisionView result={result} />
              <SaveAsTest policyId={policyId} application={text} result={result} />
            </>
          )}
        </section>
      </div>
    </div>
  );
}
