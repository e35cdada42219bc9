import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAIN } from '../helpers/cli.js';
import { dataDir } from '../helpers/service.js';

function start(shadow: string) {
  const dir = dataDir();
  return spawnSync(process.execPath, [MAIN], {
    env: { ...process.env, PORT: '0', POLICY_WATCH: 'false', SHADOW_POLICY: shadow, API_KEYS_FILE: join(dir, 'keys.yaml'), AUDIT_KEY_FILE: join(dir, 'audit.key'), AUDIT_URL: `sqlite:${join(dir, 'audit.db')}` },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('SHADOW_POLICY at start', () => {
  it('naming a version that does not exist stops the start with exit 1 and a message naming it and what is loaded', () => {
    const r = start('restructuring@9.9.9');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^tideover: SHADOW_POLICY="restructuring@9\.9\.9" names no policy version in the policy source \(loaded: .*restructuring@1\.0\.0.*\); not starting\n$/);
  });

  it('a value that is not a version reference stops the start too', () => {
    const r = start('latest');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^tideover: SHADOW_POLICY="latest" is/);
  });
});
