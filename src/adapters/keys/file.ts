import { randomBytes, createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import YAML from 'yaml';
import Ajv2020Module from 'ajv/dist/2020.js';
import schema from '../../../schemas/api-keys.schema.json' with { type: 'json' };
import type { ApiKeysFile } from '../../generated/api-keys.js';
import { ConfigError } from '../../config.js';

const validate = new Ajv2020Module.default({ allErrors: true }).compile<ApiKeysFile>(schema);

/**
 * Reads API_KEYS_FILE; when it does not exist, creates it with one key holding every role and returns
 * the token once (the caller prints it). The file holds only the token's sha256.
 */
export async function loadOrCreateKeys(path: string): Promise<{ file: ApiKeysFile; createdToken?: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError('API_KEYS_FILE', `API_KEYS_FILE ${path} cannot be read: ${(e as NodeJS.ErrnoException).code}`);
    const token = `tdo_${randomBytes(24).toString('base64url')}`;
    const file: ApiKeysFile = { keys: [{ id: 'admin', sha256: createHash('sha256').update(token).digest('hex'), roles: ['decide', 'audit', 'policy-admin'] }] };
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `# Tideover API keys: only sha256 digests of tokens are stored.\n${YAML.stringify(file)}`, { mode: 0o600, flag: 'wx' });
    return { file, createdToken: token };
  }
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    throw new ConfigError('API_KEYS_FILE', `API_KEYS_FILE ${path} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!validate(doc)) {
    const err = validate.errors![0]!;
    throw new ConfigError('API_KEYS_FILE', `API_KEYS_FILE ${path}: ${err.instancePath || '/'} ${err.message}`);
  }
  return { file: doc };
}

/** AUDIT_KEY_FILE: 32 random bytes, created on first start. */
export async function loadOrCreateSecret(path: string): Promise<Buffer> {
  try {
    const hex = (await readFile(path, 'utf8')).trim();
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new ConfigError('AUDIT_KEY_FILE', `AUDIT_KEY_FILE ${path} must hold 64 hex characters`);
    return Buffer.from(hex, 'hex');
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError('AUDIT_KEY_FILE', `AUDIT_KEY_FILE ${path} cannot be read: ${(e as NodeJS.ErrnoException).code}`);
    const key = randomBytes(32);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' }).catch(async (w: NodeJS.ErrnoException) => {
      if (w.code !== 'EEXIST') throw w;
    });
    return loadOrCreateSecret(path);
  }
}
