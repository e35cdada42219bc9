import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqlitePolicyStore } from '../../src/adapters/store/sqlite/policy-store.js';
import { policyStoreContract } from './policy-store-contract.js';

policyStoreContract('sqlite', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'tideover-policies-')), 'audit.db');
  const store = openSqlitePolicyStore(file);
  return {
    store,
    other: async () => openSqlitePolicyStore(file),
    editPublished: async (policyId, version) => {
      const db = new Database(file);
      try {
        db.prepare("UPDATE policy_versions SET body = '{}' WHERE policy_id = ? AND version = ?").run(policyId, version);
      } finally {
        db.close();
      }
    },
    close: () => store.close(),
  };
});
