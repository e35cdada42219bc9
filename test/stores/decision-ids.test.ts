import { describe, expect, it } from 'vitest';
import { decisionIds, makeDecisionIds } from '../../src/adapters/decision-ids.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('decision ids', () => {
  it('are RFC 9562 version 7 UUIDs', () => {
    for (let i = 0; i < 100; i++) expect(decisionIds.next()).toMatch(UUID_V7);
  });

  it('sort in the order they were made, also many within one millisecond, so the trail indexes them at one end', async () => {
    const ids = Array.from({ length: 5000 }, () => decisionIds.next());
    await new Promise((resolve) => setTimeout(resolve, 3));
    ids.push(decisionIds.next());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('stay distinct and in order across generators and across the random pool being drawn again (every 256 ids)', () => {
    const a = makeDecisionIds();
    const b = makeDecisionIds();
    const fromA = Array.from({ length: 1000 }, () => a.next());
    const fromB = Array.from({ length: 1000 }, () => b.next());
    expect(new Set([...fromA, ...fromB]).size).toBe(2000);
    expect([...fromA].sort()).toEqual(fromA);
    expect([...fromB].sort()).toEqual(fromB);
    // The random tail (the last 62 bits) is drawn for each id, not reused from the last draw of the pool.
    expect(new Set(fromA.map((id) => id.slice(-12))).size).toBe(1000);
  });

  it('carry the time they were made in their first 48 bits', () => {
    const before = Date.now();
    const id = decisionIds.next();
    const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now());
  });
});
