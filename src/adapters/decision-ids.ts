import { v7 } from 'uuid';
import type { IdGenerator } from '../ports/ids.js';

/**
 * Decision ids are UUIDv7 (RFC 9562): they sort by creation time, so the trail's indexes on decision id grow at
 * one end. With random (v4) ids every record dirtied index pages of its own, and the SQLite writer spent 40–90 %
 * more CPU per record (BENCHMARKS.md, item 16). uuid's v7 is monotonic within a millisecond, and the id says
 * no more than the decision's decidedAt already does.
 */
export const decisionIds: IdGenerator = { next: () => v7() };
