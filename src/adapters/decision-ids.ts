import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';
import type { IdGenerator } from '../ports/ids.js';

/** Random bytes for 256 ids, drawn at once: one draw of 16 bytes per id cost ~2 µs, most of an id's making. */
const POOL_BYTES = 4096;

/**
 * Decision ids are UUIDv7 (RFC 9562): they sort by creation time, so the trail's indexes on decision id grow at
 * one end. With random (v4) ids every record dirtied index pages of its own, and the SQLite writer spent 40–90 %
 * more CPU per record (BENCHMARKS.md, item 16). The id says no more than the decision's decidedAt already does.
 *
 * uuid's v7 lays the id out. Its random bytes come from a pool filled by one system draw per 256 ids, and the
 * counter that keeps ids made in one millisecond in order is kept here, as uuid keeps it for its own draws: a
 * new millisecond starts the counter at a random 31-bit value, and each further id of that millisecond adds one
 * (a counter that wraps moves the id's time on by a millisecond).
 */
export function makeDecisionIds(): IdGenerator {
  const pool = new Uint8Array(POOL_BYTES);
  let at = POOL_BYTES;
  const random = new Uint8Array(16);
  let msecs = -Infinity;
  let seq = 0;
  return {
    next: () => {
      if (at === POOL_BYTES) {
        randomFillSync(pool);
        at = 0;
      }
      for (let i = 0; i < 16; i++) random[i] = pool[at + i]!;
      at += 16;
      const now = Date.now();
      if (now > msecs) {
        seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
        msecs = now;
      } else {
        seq = (seq + 1) | 0;
        if (seq === 0) msecs++;
      }
      return v7({ random, msecs, seq });
    },
  };
}

export const decisionIds: IdGenerator = makeDecisionIds();
