import { sha256Hex } from '../../app/sha256.js';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { loadPolicy } from '../../core/policy/load.js';
import type { CompiledPolicy } from '../../core/policy/model.js';
import type { PolicyProblem } from '../../core/policy/problem.js';
import { isScreeningPolicyText, loadScreeningPolicy } from '../../core/screening/compile.js';
import type { CompiledScreeningPolicy } from '../../core/screening/model.js';

const VERSION_FILE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?\.ya?ml$/;
const TEST_FILE = /\.test\.ya?ml$/;

export interface PolicyFile {
  path: string;
  /** Path as shown in messages: relative to the working directory. */
  display: string;
  text: string;
  sha256: string;
}

export interface LoadedFiles {
  policies: { policy: CompiledPolicy; testFile?: PolicyFile }[];
  /** Screening policies (kind ScreeningPolicy) found beside the decision policies, loaded by their own compiler. */
  screening: { policy: CompiledScreeningPolicy; testFile?: PolicyFile }[];
  problems: PolicyProblem[];
}

async function readPolicyFile(path: string): Promise<PolicyFile> {
  const bytes = await readFile(path);
  return { path, display: relative(process.cwd(), path) || path, text: bytes.toString('utf8'), sha256: sha256Hex(bytes) };
}

/** Every `<dir>/<policyId>/<version>.yaml` below a policy root (or the given files), with its `<version>.test.yaml`. */
async function findPolicyFiles(target: string): Promise<string[]> {
  const s = await stat(target);
  if (s.isFile()) return [target];
  const out: string[] = [];
  for (const entry of (await readdir(target, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(target, entry.name);
    if (entry.isDirectory()) out.push(...(await findPolicyFiles(full)));
    else if (VERSION_FILE.test(entry.name) && !TEST_FILE.test(entry.name)) out.push(full);
  }
  return out;
}

/** Reads and compiles policies; problems from every file are returned together. I/O lives here, not in the core. */
export async function loadPolicyFiles(targets: string[]): Promise<LoadedFiles> {
  const result: LoadedFiles = { policies: [], screening: [], problems: [] };
  for (const target of targets) {
    let files: string[];
    try {
      files = await findPolicyFiles(target);
    } catch (e) {
      result.problems.push({ file: target, line: 1, column: 1, path: '', code: 'POLICY_SEMANTIC', severity: 'error', message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      continue;
    }
    if (files.length === 0)
      result.problems.push({ file: target, line: 1, column: 1, path: '', code: 'POLICY_SEMANTIC', severity: 'error', message: 'no policy files (<policyId>/<version>.yaml) found' });
    for (const path of files) {
      const file = await readPolicyFile(path);
      const testPath = path.replace(/\.ya?ml$/, '.test.yaml');
      if (isScreeningPolicyText(file.text)) {
        const screening = loadScreeningPolicy(file.text, file.display, file.sha256);
        result.problems.push(...screening.problems);
        if (screening.policy) result.screening.push({ policy: screening.policy, testFile: await readPolicyFile(testPath).catch(() => undefined) });
        continue;
      }
      const { policy, problems } = loadPolicy(file.text, file.display, file.sha256);
      result.problems.push(...problems);
      if (!policy) continue;
      const testFile = await readPolicyFile(testPath).catch(() => undefined);
      result.policies.push({ policy, testFile });
    }
  }
  const seen = new Map<string, string>();
  for (const { policy } of [...result.policies, ...result.screening]) {
    const key = `${policy.id}@${policy.version}`;
    if (seen.has(key))
      result.problems.push({ file: policy.file, line: 1, column: 1, path: 'metadata.version', code: 'POLICY_SEMANTIC', severity: 'error', message: `${key} is also defined in ${seen.get(key)}` });
    seen.set(key, policy.file);
  }
  return result;
}
