import { openSqliteFile } from './open-file.js';
import type { ArrangementRecord, ArrangementStore, PaymentRecord } from '../../../ports/arrangement-store.js';

/**
 * Arrangements in SQLite: one row per arrangement, its record as JSON; payments are appended inside one
 * statement, so a payment is never lost to a concurrent one. Kept in its own file beside the audit
 * trail, so the trail's writer thread keeps its database to itself.
 */
export function openSqliteArrangements(path: string): ArrangementStore {
  const db = openSqliteFile(path, `CREATE TABLE IF NOT EXISTS arrangements (
    arrangement_id TEXT PRIMARY KEY,
    loan_id TEXT NOT NULL,
    decision_id TEXT NOT NULL,
    option TEXT NOT NULL,
    accepted_on TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (decision_id, option)
  );
  CREATE INDEX IF NOT EXISTS arrangements_loan ON arrangements (loan_id, accepted_on);
  CREATE INDEX IF NOT EXISTS arrangements_accepted ON arrangements (accepted_on);`);
  const insert = db.prepare('INSERT INTO arrangements (arrangement_id, loan_id, decision_id, option, accepted_on, body) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (decision_id, option) DO NOTHING');
  const byId = db.prepare('SELECT body FROM arrangements WHERE arrangement_id = ?');
  const byDecision = db.prepare('SELECT body FROM arrangements WHERE decision_id = ? AND option = ?');
  const byLoan = db.prepare('SELECT body FROM arrangements WHERE loan_id = ? ORDER BY accepted_on, arrangement_id');
  const accepted = db.prepare('SELECT body FROM arrangements WHERE accepted_on BETWEEN ? AND ? ORDER BY accepted_on, arrangement_id');
  const pay = db.prepare("UPDATE arrangements SET body = json_insert(body, '$.payments[#]', json(?)) WHERE arrangement_id = ?");
  const status = db.prepare("UPDATE arrangements SET body = json_set(body, '$.recordedStatus', ?) WHERE arrangement_id = ?");
  const parse = (row: unknown): ArrangementRecord | undefined => (row ? (JSON.parse((row as { body: string }).body) as ArrangementRecord) : undefined);
  return {
    kind: 'sqlite',
    async create(a) {
      insert.run(a.arrangementId, a.loanId, a.decisionId, a.option, a.acceptedAt.slice(0, 10), JSON.stringify(a));
      return parse(byDecision.get(a.decisionId, a.option))!;
    },
    async get(id) {
      return parse(byId.get(id));
    },
    async listByLoan(loanId) {
      return byLoan.all(loanId).map((r) => parse(r)!);
    },
    async listAccepted(from, to) {
      return accepted.all(from, to).map((r) => parse(r)!);
    },
    async addPayment(id: string, p: PaymentRecord) {
      const changed = pay.run(JSON.stringify(p), id).changes;
      return changed ? parse(byId.get(id)) : undefined;
    },
    async setRecordedStatus(id, s) {
      status.run(s, id);
    },
    async close() {
      db.close();
    },
  };
}
