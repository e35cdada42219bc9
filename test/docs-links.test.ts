import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Build output, installed packages and local data: not the repository's own text. */
const SKIP = new Set(['node_modules', 'dist', '.git', 'data', 'coverage', 'test-results', 'playwright-report']);

function walk(dir: string, keep: (file: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p, keep) : keep(p) ? [p] : [];
  });
}

/** Code blocks and inline code show syntax, not links: blank them out, keeping line numbers. */
function proseOf(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, (block) => block.replace(/[^\n]/g, ' ')).replace(/`[^`\n]*`/g, (code) => ' '.repeat(code.length));
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const m of markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const text = m[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

interface Link {
  file: string;
  line: number;
  target: string;
}

function linksOf(file: string, text = readFileSync(file, 'utf8')): Link[] {
  const prose = proseOf(text);
  const links: Link[] = [];
  const at = (index: number): number => prose.slice(0, index).split('\n').length;
  for (const m of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ file, line: at(m.index), target: m[1]! });
  for (const m of prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) links.push({ file, line: at(m.index), target: m[1]! });
  return links.filter((l) => !/^[a-z][a-z0-9+.-]*:/i.test(l.target));
}

function inRepo(p: string): boolean {
  const r = relative(ROOT, p);
  return r !== '' && !r.startsWith('..') && !r.startsWith(sep);
}

/** The problem with one relative link, or undefined when it resolves (file, and heading when it names one). */
function problemOf(link: Link): string | undefined {
  const [path = '', anchor] = link.target.split('#');
  const target = path === '' ? link.file : resolve(dirname(link.file), decodeURIComponent(path));
  const where = `${relative(ROOT, link.file)}:${link.line}: ${link.target}`;
  if (!inRepo(target)) return `${where} points outside the repository`;
  if (!existsSync(target)) return `${where} names no file`;
  if (anchor !== undefined && anchor !== '' && target.endsWith('.md') && !/^L\d+/.test(anchor)) {
    if (!anchorsOf(readFileSync(target, 'utf8')).has(decodeURIComponent(anchor).toLowerCase())) return `${where} names no heading of ${relative(ROOT, target)}`;
  }
  return undefined;
}

const markdownFiles = walk(ROOT, (f) => f.endsWith('.md'));

describe('documentation links', () => {
  it('finds the repository documents it checks', () => {
    const names = markdownFiles.map((f) => relative(ROOT, f).split(sep).join('/'));
    expect(names).toEqual(expect.arrayContaining(['README.md', 'BENCHMARKS.md', 'docs/architecture.md', 'docs/domain.md']));
  });

  it('every relative link in the Markdown files resolves to a file (and heading) in the repository', () => {
    const problems = markdownFiles.flatMap((f) => linksOf(f)).flatMap((l) => problemOf(l) ?? []);
    expect(problems).toEqual([]);
  });

  it('every Markdown document (and heading) named in source comments, schemas and policies exists in the repository', () => {
    const sources = ['src', 'test', 'scripts', 'schemas', 'policies', 'examples', '.ci'].filter((d) => existsSync(join(ROOT, d)));
    const files = [...sources.flatMap((d) => walk(join(ROOT, d), (f) => /\.(ts|mts|mjs|js|json|ya?ml)$/.test(f) || f.endsWith(`${sep}run`))), join(ROOT, 'openapi.json')];
    const problems: string[] = [];
    for (const file of files) {
      if (file === fileURLToPath(import.meta.url)) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?<![\w/.-])((?:\.{1,2}\/)*(?:[\w-]+\/)*[\w.-]+\.md)\b(?:#([\p{L}\p{N}_-]+))?/gu)) {
        const [, named = '', anchor] = m;
        const where = `${relative(ROOT, file)}:${text.slice(0, m.index).split('\n').length}: ${m[0]}`;
        const found = [resolve(ROOT, named), resolve(dirname(file), named)].find((c) => inRepo(c) && existsSync(c));
        if (found === undefined) problems.push(`${where} names no file`);
        else if (anchor !== undefined && !anchorsOf(readFileSync(found, 'utf8')).has(anchor)) problems.push(`${where} names no heading`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('the link checker itself', () => {
  it('reports a missing file, a link out of the repository and a missing heading, and accepts a good link', () => {
    const file = join(ROOT, 'README.md');
    expect(problemOf({ file, line: 1, target: 'docs/no-such-page.md' })).toMatch(/names no file/);
    expect(problemOf({ file, line: 1, target: '../outside.md' })).toMatch(/outside the repository/);
    expect(problemOf({ file, line: 1, target: 'README.md#no-such-heading-anywhere' })).toMatch(/names no heading/);
    expect(problemOf({ file, line: 1, target: 'README.md#quick-start' })).toBeUndefined();
  });

  it('reads inline and reference links with their lines, and skips code and absolute URLs', () => {
    const text = 'See [a](docs/a.md) and [web](https://x.dev).\n\n```sh\n[b](in-a-fence.md)\n```\n`[c](in-code.md)`\n[d]: ./d.md\n';
    expect(linksOf(join(ROOT, 'README.md'), text).map((l) => [l.line, l.target])).toEqual([
      [1, 'docs/a.md'],
      [7, './d.md'],
    ]);
  });

  it("derives GitHub's heading anchors", () => {
    expect([...anchorsOf('# Money: `exact` paths\n## A (b) c\n## A (b) c\n')]).toEqual(['money-exact-paths', 'a-b-c', 'a-b-c-1']);
  });
});
