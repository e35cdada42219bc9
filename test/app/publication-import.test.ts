import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { listEvents } from '../../src/app/audit-events.js';
import { evaluatorFactory } from '../../src/app/evaluators.js';
import { PublishedPolicies } from '../../src/app/publication/serving.js';
import { loadPolicyFiles } from '../../src/adapters/policies/file-source.js';
import { openAuditStore } from '../../src/adapters/store/open.js';
import { openSqlitePolicyStore } from '../../src/adapters/store/sqlite/policy-store.js';
import { ROOT } from '../helpers/app.js';

it('two instances importing the same POLICY_DIR at once publish each version once and record it once in the chain', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'tideover-import-')), 'audit.db');
  const audit = await openAuditStore(`sqlite:${file}`);
  const stores = [openSqlitePolicyStore(file), openSqlitePolicyStore(file)];
  let n = 0;
  const instances = stores.map(
    (store) =>
      new PublishedPolicies({
        store, audit, makeEvaluator: evaluatorFactory(undefined), clock: { now: () => new Date().toISOString() }, ids: { next: () => `id-${++n}` },
        versions: { tideover: 'test', jsonRulesEngine: '7.3.1' }, files: () => loadPolicyFiles([join(ROOT, 'policies')]),
      }),
  );
  try {
    const problems = await Promise.all(instances.map((i) => i.importFiles()));
    expect(problems.flat().filter((p) => p.severity === 'error')).toEqual([]);
    const published = await stores[0]!.listPublished();
    const versions = published.map((p) => p.version).sort();
    expect(versions.length).toBeGreaterThan(0);
    expect(new Set(versions).size).toBe(versions.length);
    const events = (await listEvents(audit, ['POLICY_PUBLISHED'])).map((e) => ({ ...e, data: e.data as Record<string, unknown> }));
    expect(events.map((e) => e.data.version).sort()).toEqual(versions);
    expect(events.every((e) => e.data.approvedBy === 'repository-review' && e.data.origin === 'REPOSITORY')).toBe(true);
    expect((await audit.verify()).ok).toBe(true);
  } finally {
    for (const s of stores) await s.close();
    await audit.close();
  }
}, 120_000);
