import { useEffect, useRef, useState } from 'preact/hooks';
import type { EditorView } from '@codemirror/view';
import { problemText, type Problem } from '../../api/client';
import { getDraft, saveDraft, saveTests, startDraftFromServing, validatePolicy, type Draft } from '../../api/policies';
import { t } from '../../i18n';
import { href, onLink } from '../../router';
import { ErrorBox } from '../../components/error-box';
import { useAsync } from '../../components/use-async';
import { CheckSummary } from '../../components/check-summary';
import type { LocatedProblem } from '../../editor/policy-editor';

const missing = (e: unknown) => (e as Problem | undefined)?.status === 404;

function ProblemList({ problems, view }: { problems: LocatedProblem[]; view: EditorView | undefined }) {
  const goTo = (p: LocatedProblem) => {
    if (!view) return;
    const line = view.state.doc.line(Math.min(Math.max(1, p.line), view.state.doc.lines));
    const pos = Math.min(line.from + Math.max(0, p.column - 1), line.to);
    view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
    view.focus();
  };
  return (
    <section data-testid="problems" class="problems" aria-live="polite" aria-label={t('problems')}>
      <h3>
        {t('problems')} ({problems.length})
      </h3>
      {problems.length === 0 ? (
        <p class="ok">{t('noProblems')}</p>
      ) : (
        <ul>
          {problems.map((p, i) => (
            <li key={i} class={p.severity === 'error' ? 'bad' : ''}>
              <button type="button" class="secondary" onClick={() => goTo(p)}>
                {p.line}:{p.column}
              </button>{' '}
              {p.severity}: {p.message}
              {p.fix && (
                <button type="button" class="secondary" data-fix={p.fix.insert} onClick={() => view?.dispatch({ changes: p.fix! })}>
                  Did you mean “{p.fix.insert}”?
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The draft's YAML in CodeMirror with schema-driven help and live markers; saving stores the draft (which never serves). */
export function EditorScreen({ policyId }: { policyId: string }) {
  const host = useRef<HTMLDivElement>(null);
  const testsHost = useRef<HTMLDivElement>(null);
  const [tab, setTab] = useState<'policy' | 'tests'>('policy');
  const [view, setView] = useState<EditorView>();
  const [text, setText] = useState<string>();
  const [testsText, setTestsText] = useState<string>();
  const [problems, setProblems] = useState<LocatedProblem[]>([]);
  const [draft, setDraft] = useState<Draft | null>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const loaded = useAsync(async () => {
    try {
      return await getDraft(policyId);
    } catch (e) {
      if (missing(e)) return null;
      throw e;
    }
  }, [policyId]);
  useEffect(() => {
    if (loaded.data !== undefined) setDraft(loaded.data);
  }, [loaded.data]);

  const initial = draft?.policy;
  const initialTests = draft?.tests ?? '';
  useEffect(() => {
    if (initial === undefined || !host.current) return;
    let live = true;
    let created: EditorView | undefined;
    let createdTests: EditorView | undefined;
    void Promise.all([import('../../editor/policy-editor'), import('../../editor/vocabulary')]).then(async ([ed, vocab]) => {
      const vocabulary = await vocab.loadVocabulary();
      if (!live || !host.current || !testsHost.current) return;
      createdTests = ed.createTestsEditor({ parent: testsHost.current, text: initialTests, label: `${t('testCases')} ${policyId}`, onChange: setTestsText });
      setTestsText(initialTests);
      created = ed.createPolicyEditor({
        parent: host.current,
        text: initial,
        vocabulary,
        label: `${t('editor')} ${policyId}`,
        validate: async (yaml) => {
          const r = await validatePolicy(yaml);
          return [...r.errors.map((p) => ({ ...p, severity: 'error' as const })), ...r.warnings.map((p) => ({ ...p, severity: 'warning' as const }))];
        },
        onChange: setText,
        onProblems: setProblems,
      });
      setView(created);
      setText(initial);
    });
    return () => {
      live = false;
      created?.destroy();
      createdTests?.destroy();
    };
    // The editor is created once per loaded draft; later saves keep the same view.
  }, [initial === undefined, policyId]);

  const act = async (f: () => Promise<Draft>) => {
    setBusy(true);
    setError(undefined);
    try {
      const d = await f();
      setDraft(d);
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <h2>
        {t('editor')} · {policyId}
        {draft?.version ? `@${draft.version}` : ''}
      </h2>
      <ErrorBox error={loaded.error ?? error} />
      {loaded.loading && draft === undefined && <p>{t('loading')}</p>}
      {draft === null && (
        <div class="card">
          <p>{t('noDraft')}</p>
          <button type="button" data-testid="start-draft" disabled={busy} onClick={() => act(() => startDraftFromServing(policyId))}>
            {t('startFromServing')}
          </button>
        </div>
      )}
      {draft && (
        <>
          <div class="row">
            <button
              type="button"
              data-testid="save-draft"
              disabled={busy || text === undefined}
              onClick={() =>
                act(async () => {
                  const saved = await saveDraft(policyId, text ?? draft.policy);
                  return testsText !== undefined && testsText !== (draft.tests ?? '') && testsText.trim() ? saveTests(policyId, testsText) : saved;
                })
              }
            >
              {busy ? t('loading') : t('save')}
            </button>
            <a href={href({ screen: 'tests', policyId })} onClick={onLink}>
              {t('tests')}
            </a>
            <a href={href({ screen: 'playground' })} onClick={onLink}>
              {t('playground')}
            </a>
            <a href={href({ screen: 'diff', policyId })} onClick={onLink}>
              {t('diff')}
            </a>
          </div>
          <CheckSummary check={draft.check} />
        </>
      )}
      {draft && (
        <div role="tablist" class="tabs" aria-label={t('editor')}>
          <button type="button" role="tab" aria-selected={tab === 'policy'} class={tab === 'policy' ? '' : 'secondary'} onClick={() => setTab('policy')} data-testid="tab-policy">
            {t('policy')}
          </button>
          <button type="button" role="tab" aria-selected={tab === 'tests'} class={tab === 'tests' ? '' : 'secondary'} onClick={() => setTab('tests')} data-testid="tab-tests">
            {t('testCases')}
          </button>
        </div>
      )}
      <div class="editor-split">
        <div>
          <div ref={host} data-testid="editor" class="editor-host" hidden={!draft || tab !== 'policy'} />
          <div ref={testsHost} data-testid="tests-editor" class="editor-host" hidden={!draft || tab !== 'tests'} />
        </div>
        {draft && <ProblemList problems={problems} view={view} />}
      </div>
    </div>
  );
}
