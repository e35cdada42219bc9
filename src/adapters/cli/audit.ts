import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { evaluatorFactory } from '../../app/evaluators.js';
import { isIsoDate } from '../../app/input.js';
import { replayDecision } from '../../app/replay.js';
import { loadConfig } from '../../config.js';
import type { AuditStore } from '../../ports/audit-store.js';
import { loadOrCreateSecret } from '../keys/file.js';
import { openAuditStore } from '../store/open.js';
import { exitWith, USAGE_ERROR } from './program.js';

const out = (s: string) => process.stdout.write(`${s}\n`);
const err = (s: string) => process.stderr.write(`${s}\n`);

async function withStore<T>(run: (store: AuditStore, key: Buffer) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  const store = await openAuditStore(config.AUDIT_URL, { now: () => new Date() });
  try {
    return await run(store, await loadOrCreateSecret(config.AUDIT_KEY_FILE));
  } finally {
    await store.close();
  }
}

/** The decisions a purge would remove (the oldest decided before `before`, up to the first later one), for their dates. */
export async function purgeCandidates(store: AuditStore, before: string): Promise<{ count: number; first?: string; last?: string }> {
  const limit = Date.parse(before);
  let count = 0;
  let first: string | undefined;
  let last: string | undefined;
  for await (const r of store.export({})) {
    if (!(Date.parse(r.decidedAt) < limit)) break;
    count++;
    first ??= r.decidedAt;
    last = r.decidedAt;
  }
  return { count, ...(first ? { first, last } : {}) };
}

/** One line from stdin; an empty answer (or none, stdin closed) is a no. */
async function confirm(question: string): Promise<boolean> {
  process.stderr.write(question);
  const rl = createInterface({ input: process.stdin });
  const answer = await new Promise<string>((resolve) => {
    rl.once('line', resolve);
    rl.once('close', () => resolve(''));
  });
  rl.close();
  return /^(y|yes)$/i.test(answer.trim());
}

async function purge(before: string, opts: { dryRun?: boolean; yes?: boolean }): Promise<number> {
  if (!isIsoDate(before)) {
    err(`tideover audit purge: --before must be a date YYYY-MM-DD, got ${JSON.stringify(before)}`);
    return USAGE_ERROR;
  }
  return withStore(async (store, key) => {
    const candidates = { ...(await purgeCandidates(store, before)), count: (await store.purgePreview(before)).purged };
    if (opts.dryRun) {
      out(JSON.stringify({ dryRun: true, before, wouldPurge: candidates.count, ...(candidates.first ? { oldest: candidates.first, newest: candidates.last } : {}) }, null, 2));
      return 0;
    }
    if (candidates.count > 0 && !opts.yes) {
      const ok = await confirm(`Permanently delete ${candidates.count} audit record(s) (decisions decided ${candidates.first ?? '-'} … ${candidates.last ?? '-'}) before ${before}? [y/N] `);
      if (!ok) {
        err('tideover audit purge: not confirmed; nothing purged (pass --yes to skip the question)');
        return 1;
      }
    }
    out(JSON.stringify(await store.purge(before, key), null, 2));
    return 0;
  });
}

/** `tideover audit verify | replay <id> | purge --before YYYY-MM-DD [--dry-run] [--yes]`, against AUDIT_URL. */
export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('verify, replay and purge the audit trail at AUDIT_URL');
  audit
    .command('verify')
    .description('check the hash chain (exit 1 naming the first broken record)')
    .action(async () => {
      const result = await withStore((store, key) => store.verify(key));
      out(JSON.stringify(result, null, 2));
      exitWith(result.ok ? 0 : 1);
    });
  audit
    .command('replay')
    .description('decide a recorded application again under its recorded policy (exit 1 when the answer differs)')
    .argument('<decisionId>', 'the decision to replay')
    .action(async (id: string) => {
      const config = loadConfig(process.env);
      const result = await withStore((store) => replayDecision(store, id, evaluatorFactory(config.EVALUATOR)));
      out(JSON.stringify(result, null, 2));
      exitWith(result.identical ? 0 : 1);
    });
  audit
    .command('purge')
    .description('delete the oldest records decided before a date, leaving a signed checkpoint')
    .requiredOption('--before <YYYY-MM-DD>', 'records decided before this date (UTC midnight) are removed')
    .option('--dry-run', 'only count what would be removed')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (opts: { before: string; dryRun?: boolean; yes?: boolean }) => exitWith(await purge(opts.before, opts)));
}
