// The policy YAML in CodeMirror 6: schema-driven completion and hover, and inline markers at line:column
// from debounced calls to the service's validate API, with "did you mean" fixes.
import { basicSetup, EditorView } from 'codemirror';
import { yaml } from '@codemirror/lang-yaml';
import { linter, lintGutter, type Action, type Diagnostic } from '@codemirror/lint';
import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { EditorState, type Text } from '@codemirror/state';
import { hoverTooltip } from '@codemirror/view';
import { closest, unknownName } from './did-you-mean';
import { documentNames, type Term, type Vocabulary } from './vocabulary';

export interface LocatedProblem {
  line: number;
  column: number;
  message: string;
  code?: string;
  path?: string;
  severity: 'error' | 'warning';
  /** The replacement a "did you mean" fix offers. */
  fix?: { from: number; to: number; insert: string };
}

export interface PolicyEditorOptions {
  parent: HTMLElement;
  text: string;
  vocabulary: Vocabulary;
  /** Validates the whole text; answers located problems (line and column 1-based). */
  validate: (text: string) => Promise<Omit<LocatedProblem, 'fix'>[]>;
  onChange: (text: string) => void;
  onProblems: (problems: LocatedProblem[]) => void;
  label: string;
}

const KEY_BEFORE = /\b(fact|operator|param|outcome|option)\s*:\s*(?:\[\s*(?:[\w-]+\s*,\s*)*)?([\w-]*)$/;
const LIST_ITEM = /^\s*-\s*([\w-]*)$/;

function candidates(key: string, vocab: Vocabulary, text: string): Term[] {
  const doc = documentNames(text);
  switch (key) {
    case 'fact':
      return vocab.facts;
    case 'operator':
      return vocab.operators;
    case 'param':
      return doc.params;
    case 'outcome':
      return vocab.outcomes;
    case 'option':
      return vocab.options;
    case 'reasonCodes':
      return doc.reasonCodes;
    default:
      return [];
  }
}

/** The key a list item belongs to: the nearest line above with less indentation that ends in `key:`. */
function listKey(doc: Text, lineNo: number): string | undefined {
  const indent = /^\s*/.exec(doc.line(lineNo).text)![0].length;
  for (let n = lineNo - 1; n >= 1 && n > lineNo - 40; n--) {
    const t = doc.line(n).text;
    const m = /^(\s*)([\w-]+)\s*:\s*$/.exec(t);
    if (m && m[1]!.length < indent) return m[2];
    if (/^\s*\S/.test(t) && /^\s*/.exec(t)![0].length < indent && !m) return undefined;
  }
  return undefined;
}

function completionSource(vocab: Vocabulary) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const line = ctx.state.doc.lineAt(ctx.pos);
    const before = line.text.slice(0, ctx.pos - line.from);
    let key: string | undefined;
    let word = '';
    const m = KEY_BEFORE.exec(before) ?? /\breasonCodes\s*:\s*\[\s*(?:[\w-]+\s*,\s*)*([\w-]*)$/.exec(before);
    if (m) {
      key = m.length === 3 ? m[1] : 'reasonCodes';
      word = m[m.length - 1] ?? '';
    } else {
      const item = LIST_ITEM.exec(before);
      if (item) {
        key = listKey(ctx.state.doc, line.number);
        word = item[1] ?? '';
      }
    }
    if (!key) return null;
    const terms = candidates(key, vocab, ctx.state.doc.toString());
    if (!terms.length || (!word && !ctx.explicit && !/[:[,-]\s*$/.test(before))) return null;
    return {
      from: ctx.pos - word.length,
      options: terms.map((t) => ({ label: t.name, type: key === 'operator' ? 'keyword' : 'variable', ...(t.detail ? { detail: t.detail } : {}), ...(t.description ? { info: t.description } : {}) })),
      validFor: /^[\w-]*$/,
    };
  };
}

function hover(vocab: Vocabulary) {
  return hoverTooltip((view, pos) => {
    const word = view.state.wordAt(pos);
    if (!word) return null;
    const name = view.state.sliceDoc(word.from, word.to);
    const doc = documentNames(view.state.doc.toString());
    const found: [string, Term | undefined][] = [
      ['fact', vocab.facts.find((t) => t.name === name)],
      ['operator', vocab.operators.find((t) => t.name === name)],
      ['parameter', doc.params.find((t) => t.name === name) ?? vocab.engineParams.find((t) => t.name === name)],
      ['reason code', doc.reasonCodes.find((t) => t.name === name)],
    ];
    const hit = found.find(([, t]) => t);
    if (!hit) return null;
    const [kind, term] = hit as [string, Term];
    return {
      pos: word.from,
      end: word.to,
      above: true,
      create: () => {
        const dom = document.createElement('div');
        dom.className = 'cm-hover-help';
        const title = document.createElement('strong');
        title.textContent = `${kind} ${term.name}`;
        dom.append(title);
        for (const line of [term.detail ? `= ${term.detail}` : '', term.description ?? '']) {
          if (!line) continue;
          const p = document.createElement('div');
          p.textContent = line;
          dom.append(p);
        }
        return { dom };
      },
    };
  });
}

/** Offsets of a problem: the name it is about when the line holds it, else the word at line:column. */
function span(doc: Text, p: { line: number; column: number; message: string }): { from: number; to: number } {
  const lineNo = Math.min(Math.max(1, p.line), doc.lines);
  const line = doc.line(lineNo);
  const unknown = unknownName(p.message);
  if (unknown) {
    const i = line.text.indexOf(unknown.name, Math.max(0, p.column - 1));
    const j = i >= 0 ? i : line.text.indexOf(unknown.name);
    if (j >= 0) return { from: line.from + j, to: line.from + j + unknown.name.length };
  }
  const from = line.from + Math.min(Math.max(0, p.column - 1), line.length);
  const rest = /^[^\s,}\]]*/.exec(line.text.slice(from - line.from))![0].length;
  return { from, to: Math.max(from + rest, Math.min(from + 1, line.to)) };
}

export function locate(doc: Text, vocab: Vocabulary, problems: Omit<LocatedProblem, 'fix'>[]): LocatedProblem[] {
  const names = documentNames(doc.toString());
  return problems.map((p) => {
    const { from, to } = span(doc, p);
    const unknown = unknownName(p.message);
    if (!unknown) return p;
    const pool = { fact: vocab.facts, parameter: names.params, operator: vocab.operators, 'reason code': names.reasonCodes }[unknown.kind].map((t) => t.name);
    const insert = unknown.suggested ?? closest(unknown.name, pool);
    return insert ? { ...p, fix: { from, to, insert } } : p;
  });
}

export function createPolicyEditor(o: PolicyEditorOptions): EditorView {
  const lint = linter(
    async (view): Promise<Diagnostic[]> => {
      const text = view.state.doc.toString();
      let raw: Omit<LocatedProblem, 'fix'>[];
      try {
        raw = await o.validate(text);
      } catch {
        return [];
      }
      if (view.state.doc.toString() !== text) return []; // typed on meanwhile: the next run reports
      const problems = locate(view.state.doc, o.vocabulary, raw);
      o.onProblems(problems);
      return problems.map((p) => {
        const { from, to } = span(view.state.doc, p);
        const actions: Action[] = p.fix ? [{ name: `Did you mean "${p.fix.insert}"?`, apply: (v) => v.dispatch({ changes: { from: p.fix!.from, to: p.fix!.to, insert: p.fix!.insert } }) }] : [];
        return { from, to, severity: p.severity, message: `${p.line}:${p.column} ${p.message}`, source: p.code ?? 'tideover', actions };
      });
    },
    { delay: 500 },
  );
  return new EditorView({
    parent: o.parent,
    state: EditorState.create({
      doc: o.text,
      extensions: [
        basicSetup,
        yaml(),
        EditorState.languageData.of(() => [{ autocomplete: completionSource(o.vocabulary) }]),
        hover(o.vocabulary),
        lint,
        lintGutter(),
        EditorView.contentAttributes.of({ 'aria-label': o.label }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) o.onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
}

/** The test cases' YAML: the same editor without the policy vocabulary (the service checks the cases on save). */
export function createTestsEditor(o: { parent: HTMLElement; text: string; label: string; onChange: (text: string) => void }): EditorView {
  return new EditorView({
    parent: o.parent,
    state: EditorState.create({
      doc: o.text,
      extensions: [
        basicSetup,
        yaml(),
        EditorView.contentAttributes.of({ 'aria-label': o.label }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) o.onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
}
