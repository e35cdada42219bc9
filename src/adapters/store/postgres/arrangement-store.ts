import type { ArrangementRecord, ArrangementStore } from '../../../ports/arrangement-store.js';
import { openPoolWithTables } from './open-pool.js';

/** Arrangements in PostgreSQL (same database and schema as the audit trail): one row each, the record as jsonb. */
export async function openPostgresArrangements(url: string): Promise<ArrangementStore> {
  const { pool, s: schema } = await openPoolWithTables(url, 'arrangement', { max: 4, queryTimeoutMs: 30_000 }, (s) => `
CREATE TABLE IF NOT EXISTS ${s}.arrangements (
  arrangement_id TEXT PRIMARY KEY,
  loan_id TEXT NOT NULL,
  decision_id TEXT NOT NULL,
  option TEXT NOT NULL,
  accepted_on DATE NOT NULL,
  body JSONB NOT NULL,
  UNIQUE (decision_id, option)
);
CREATE INDEX IF NOT EXISTS arrangements_loan ON ${s}.arrangements (loan_id, accepted_on);
CREATE INDEX IF NOT EXISTS arrangements_accepted ON ${s}.arrangements (accepted_on);`);
  const t = `${schema}.arrangements`;
  const rows = async (sql: string, params: unknown[]): Promise<ArrangementRecord[]> => (await pool.query<{ body: ArrangementRecord }>(sql, params)).rows.map((r) => r.body);
  return {
    kind: 'postgres',
    async create(a) {
      await pool.query(`INSERT INTO ${t} (arrangement_id, loan_id, decision_id, option, accepted_on, body) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (decision_id, option) DO NOTHING`, [
        a.arrangementId,
        a.loanId,
        a.decisionId,
        a.option,
        a.acceptedAt.slice(0, 10),
        JSON.stringify(a),
      ]);
      return (await rows(`SELECT body FROM ${t} WHERE decision_id = $1 AND option = $2`, [a.decisionId, a.option]))[0]!;
    },
    async get(id) {
      return (await rows(`SELECT body FROM ${t} WHERE arrangement_id = $1`, [id]))[0];
    },
    async listByLoan(loanId) {
      return rows(`SELECT body FROM ${t} WHERE loan_id = $1 ORDER BY accepted_on, arrangement_id`, [loanId]);
    },
    async listAccepted(from, to) {
      return rows(`SELECT body FROM ${t} WHERE accepted_on BETWEEN $1::date AND $2::date ORDER BY accepted_on, arrangement_id`, [from, to]);
    },
    async addPayment(id, p) {
      // One statement: concurrent reports for the same arrangement each append, none overwrites another.
      return (await rows(`UPDATE ${t} SET body = jsonb_set(body, '{payments}', (body->'payments') || $2::jsonb) WHERE arrangement_id = $1 RETURNING body`, [id, JSON.stringify([p])]))[0];
    },
    async setRecordedStatus(id, s) {
      await pool.query(`UPDATE ${t} SET body = jsonb_set(body, '{recordedStatus}', to_jsonb($2::text)) WHERE arrangement_id = $1`, [id, s]);
    },
    async close() {
      await pool.end();
    },
  };
}
