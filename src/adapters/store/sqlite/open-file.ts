import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/**
 * A connection to one of the SQLite files kept beside the audit trail (policies, screening, arrangements),
 * with its tables created. Durable as the trail is (WAL, synchronous FULL); a busy file is waited for, since
 * several processes (a service and its CLI, screening workers) may share it.
 */
export function openSqliteFile(file: string, schema: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.exec(schema);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}
