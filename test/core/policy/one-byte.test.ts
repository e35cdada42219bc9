import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { parseYamlSource } from '../../../src/core/policy/yaml-source.js';
import { ROOT } from '../../helpers/app.js';

/** Whether V8 stores the string one byte per character: its serializer tags one-byte strings with '"' (0x22). */
const isOneByte = (s: string): boolean => serialize(s)[2] === 0x22;

const latin1 = (s: string): boolean => !/[\u0100-\uffff]/.test(s);

/** Every string in a parsed value, keys included. */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      strings(x, out);
    }
  }
  return out;
}

describe('strings read from policy files are one byte per character where they can be', () => {
  it('a YAML file with Chinese text gives one-byte names, values and keys, and keeps the Chinese text as it is', () => {
    const src = parseYamlSource('rules:\n  - id: G-01\n    outcome: DECLINE_ALL_THE_WAY\n    text:\n      zh: 逃废债的借款人\n      en: "Malicious delinquency: £ and é stay Latin-1"\nparameters: { maxDaysPastDueForThisOne: 90 }\n', 'p.yaml');
    const value = src.value as { rules: { id: string; outcome: string; text: { zh: string; en: string } }[]; parameters: Record<string, number> };
    expect(serialize('逃')[2]).not.toBe(0x22); // the probe tells the two apart
    const all = strings(value);
    expect(all).toContain('DECLINE_ALL_THE_WAY');
    expect(all.filter((s) => !latin1(s))).toEqual(['逃废债的借款人']);
    for (const s of all) if (latin1(s)) expect(isOneByte(s), s).toBe(true);
    expect(value.rules[0]!.text.en).toBe('Malicious delinquency: £ and é stay Latin-1');
  });

  it('the shipped policy and its tests load with no two-byte string that could be one byte', () => {
    for (const file of ['policies/restructuring/1.0.0.yaml', 'policies/restructuring/1.0.0.test.yaml']) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      expect(isOneByte(text), `${file} itself is two-byte (it holds Chinese text)`).toBe(false);
      const bad = strings(parseYamlSource(text, file).value).filter((s) => latin1(s) && !isOneByte(s));
      expect(bad, file).toEqual([]);
    }
  });

  it('the JSON Schemas are ASCII (other characters as \\u escapes), so the names and enums they give the process are one-byte', () => {
    for (const name of readdirSync(join(ROOT, 'schemas')).filter((f) => f.endsWith('.json'))) {
      const text = readFileSync(join(ROOT, 'schemas', name), 'utf8');
      expect(!/[\u0080-\uffff]/.test(text), `schemas/${name} holds a non-ASCII character: write it as a \\u escape`).toBe(true);
    }
  });
});
