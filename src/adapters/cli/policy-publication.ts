import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { exitWith, group } from './program.js';

// `tideover policy draft push|try|submit` and `tideover policy change list|approve|reject`: the publication
// flow against a running service, so a terminal and a CI job do what the workbench does.

interface Remote {
  url: string;
  json: boolean;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

const out = (s: string) => process.stdout.write(`${s}\n`);
const err = (s: string) => process.stderr.write(`${s}\n`);

async function call(r: Remote, method: string, path: string, body?: { type: string; text: string }): Promise<Answer> {
  const token = process.env.TIDEOVER_API_KEY;
  if (!token) throw new Error('TIDEOVER_API_KEY is not set: export the API key token (policy-author or policy-approver) first');
  let res: Response;
  try {
    res = await fetch(new URL(path, r.url), {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': body.type } : {}) },
      ...(body ? { body: body.text } : {}),
    });
  } catch (e) {
    throw new Error(`cannot reach ${r.url}: ${((e as Error).cause as Error | undefined)?.message ?? (e as Error).message}`);
  }
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { detail: text.slice(0, 500) };
  }
  return { status: res.status, body: parsed };
}

/** Prints the answer (as JSON with --json) and sets the exit code: 0 on 2xx, 1 otherwise. */
function report(r: Remote, a: Answer, human: (b: Record<string, unknown>) => string[]): void {
  const ok = a.status >= 200 && a.status < 300;
  if (r.json) out(JSON.stringify(a.body, null, 2));
  else if (ok) human(a.body).forEach((l) => out(l));
  else {
    err(`tideover: ${a.status} ${String(a.body.code ?? '')}: ${String(a.body.detail ?? '')}`);
    for (const ref of (a.body.refusals as { reason: string; message: string; problems?: Problem[] }[] | undefined) ?? []) {
      err(`  ${ref.reason}: ${ref.message}`);
      for (const p of ref.problems ?? []) err(`    ${p.file}:${p.line}:${p.column}: ${p.message}`);
    }
  }
  exitWith(ok ? 0 : 1);
}

interface Problem {
  file: string;
  line: number;
  column: number;
  message: string;
}

function draftLines(b: Record<string, unknown>): string[] {
  const check = b.check as { valid: boolean; errors: Problem[]; warnings: Problem[]; tests: { cases: number; passed: number; failed: number }; rulesNeverFired: string[]; submittable: boolean; refusals: { reason: string; message: string }[] };
  return [
    `draft ${String(b.policyId)} ${String(b.version ?? '?')} saved (sha256 ${String(b.sha256).slice(0, 12)}…, last edited by ${String(b.updatedBy)})`,
    ...check.errors.map((p) => `${p.file}:${p.line}:${p.column}: error: ${p.message}`),
    ...check.warnings.map((p) => `${p.file}:${p.line}:${p.column}: warning: ${p.message}`),
    `tests: ${check.tests.passed}/${check.tests.cases} passed; rules no test fires: ${check.rulesNeverFired.join(', ') || 'none'}`,
    check.submittable ? 'submittable: yes' : `submittable: no — ${check.refusals.map((r) => `${r.reason}: ${r.message}`).join('; ')}`,
  ];
}

function changeLines(c: Record<string, unknown>): string[] {
  const impact = c.impact as { note?: string } | undefined;
  return [`${String(c.id)}  ${String(c.policyId)}@${String(c.version)}  ${String(c.status)}  submitted by ${String(c.submittedBy)} at ${String(c.submittedAt)}${c.decidedBy ? `; ${String(c.status).toLowerCase()} by ${String(c.decidedBy)}` : ''}`, ...(impact?.note ? [`  impact: ${impact.note}`] : [])];
}

/** `<dir>/<policyId>/<version>.yaml` names its policy id; metadata.id is read otherwise. */
function policyIdOf(file: string, text: string): string {
  const fromMeta = /^\s+id:\s*['"]?([a-z][a-z0-9-]{0,63})/m.exec(text)?.[1];
  return fromMeta ?? basename(dirname(file));
}

export function registerPolicyPublication(program: Command): void {
  const policy = group(program, 'policy', 'validate, test and compare policy files');
  const remote = (c: Command) =>
    c.option('--url <url>', 'the running service (default TIDEOVER_URL or http://127.0.0.1:3000)').option('--json', 'print the answer as JSON');
  const opts = (o: { url?: string; json?: boolean }): Remote => ({ url: o.url ?? process.env.TIDEOVER_URL ?? 'http://127.0.0.1:3000', json: !!o.json });

  const draft = group(policy, 'draft', 'drafts on a running service (key from TIDEOVER_API_KEY)');
  remote(draft.command('push').description('save a policy file (and its <version>.test.yaml) as the draft of its policy; exit 1 unless it could be submitted'))
    .argument('<file>', 'the policy YAML, e.g. policies/restructuring/1.2.0.yaml')
    .option('--tests <file>', 'its test cases (default: <version>.test.yaml beside it)')
    .action(async (file: string, o: { url?: string; json?: boolean; tests?: string }) => {
      const r = opts(o);
      const text = await readFile(file, 'utf8');
      const id = policyIdOf(file, text);
      const testsFile = o.tests ?? join(dirname(file), basename(file).replace(/\.ya?ml$/, '.test.yaml'));
      const tests = await readFile(testsFile, 'utf8').catch(() => undefined);
      let a = await call(r, 'PUT', `/v1/policy-drafts/${id}`, { type: 'application/yaml', text });
      if (a.status === 200 && tests !== undefined) a = await call(r, 'PUT', `/v1/policy-drafts/${id}/tests`, { type: 'application/yaml', text: tests });
      report(r, a, draftLines);
      if (a.status === 200 && !(a.body.check as { submittable: boolean }).submittable) exitWith(1);
    });
  remote(draft.command('try').description('decide one application with the draft; nothing is recorded'))
    .argument('<policyId>')
    .argument('<application>', 'application JSON file')
    .action(async (id: string, app: string, o: { url?: string; json?: boolean }) => {
      const r = opts(o);
      const a = await call(r, 'POST', `/v1/policy-drafts/${id}/try`, { type: 'application/json', text: await readFile(app, 'utf8') });
      report(r, a, (b) => {
        const d = b.decision as { options: { option: string; decision: string; firedRules: string[] }[]; accountAction: { action: string } };
        return [...d.options.map((x) => `${x.option.padEnd(18)} ${x.decision.padEnd(18)} ${x.firedRules.join(', ')}`), `ACCOUNT_ACTION     ${d.accountAction.action}`, String(b.note)];
      });
    });
  remote(draft.command('submit').description('submit the draft as a change for a second key to approve; exit 1 listing every reason when refused'))
    .argument('<policyId>')
    .action(async (id: string, o: { url?: string; json?: boolean }) => {
      const r = opts(o);
      report(r, await call(r, 'POST', `/v1/policy-drafts/${id}/submit`), (b) => [`submitted: change ${String(b.id)}`, ...changeLines(b)]);
    });

  const change = group(policy, 'change', 'submitted changes on a running service (key from TIDEOVER_API_KEY)');
  remote(change.command('list').description('changes, newest first'))
    .option('--status <status>', 'PENDING, APPROVED or REJECTED')
    .action(async (o: { url?: string; json?: boolean; status?: string }) => {
      const r = opts(o);
      report(r, await call(r, 'GET', `/v1/policy-changes${o.status ? `?status=${encodeURIComponent(o.status)}` : ''}`), (b) => {
        const list = b.changes as Record<string, unknown>[];
        return list.length ? list.flatMap(changeLines) : ['no changes'];
      });
    });
  remote(change.command('approve').description('approve and publish a change another key submitted'))
    .argument('<id>')
    .option('--comment <text>', 'recorded in the audit chain')
    .action(async (id: string, o: { url?: string; json?: boolean; comment?: string }) => {
      const r = opts(o);
      report(r, await call(r, 'POST', `/v1/policy-changes/${id}/approve`, { type: 'application/json', text: JSON.stringify(o.comment !== undefined ? { comment: o.comment } : {}) }), (b) => [`approved and published: ${String(b.policyId)}@${String(b.version)}`]);
    });
  remote(change.command('reject').description('reject a change, with the reason'))
    .argument('<id>')
    .requiredOption('--reason <text>', 'why (required; recorded in the audit chain)')
    .action(async (id: string, o: { url?: string; json?: boolean; reason: string }) => {
      const r = opts(o);
      report(r, await call(r, 'POST', `/v1/policy-changes/${id}/reject`, { type: 'application/json', text: JSON.stringify({ reason: o.reason }) }), (b) => [`rejected: ${String(b.policyId)}@${String(b.version)}`]);
    });
}
