import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/app.js';
import { START_FLAGS } from '../helpers/service.js';

describe('the V8 flags the service ships with', () => {
  it('are the same in npm start and the Dockerfile CMD', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    expect(cmd, 'Dockerfile has an exec-form CMD').not.toBeNull();
    const args = JSON.parse(cmd![1]!) as string[];
    expect(args.filter((a) => a.startsWith('--'))).toEqual(START_FLAGS);
    expect(args.at(-1)).toBe('dist/src/main.js');
  });

  it('are accepted by this Node.js (an unknown V8 flag would stop the service at start)', () => {
    expect(START_FLAGS.length).toBeGreaterThan(0);
    const r = spawnSync(process.execPath, [...START_FLAGS, '-e', '0'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
