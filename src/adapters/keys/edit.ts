import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import YAML from 'yaml';
import schema from '../../../schemas/api-keys.schema.json' with { type: 'json' };
import type { ApiKeysFile, Role } from '../../generated/api-keys.js';
import { loadOrCreateKeys } from './file.js';

/** The roles a key may hold, read from the schema so a role added there is accepted here unchanged. */
export const ROLES: readonly Role[] = schema.$defs.Role.enum as Role[];
const ID = new RegExp(schema.properties.keys.items.properties.id.pattern);
const HEADER = '# Tideover API keys: only sha256 digests of tokens are stored.\n';

export class KeyEditError extends Error {}

/** Writes beside the file and renames over it, so a reloading service never reads half a file. */
async function writeKeys(path: string, file: ApiKeysFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(`${HEADER}${YAML.stringify(file)}`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

/** Roles from a comma-separated list; an unknown one is refused naming the roles there are. */
export function parseRoles(list: string): [Role, ...Role[]] {
  const roles = [
    ...new Set(
      list
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    ),
  ];
  const unknown = roles.filter((r) => !ROLES.includes(r as Role));
  if (unknown.length) throw new KeyEditError(`unknown role${unknown.length > 1 ? 's' : ''} ${unknown.map((r) => `"${r}"`).join(', ')}; roles are ${ROLES.join(', ')}`);
  if (!roles.length) throw new KeyEditError(`give at least one role: ${ROLES.join(', ')}`);
  return roles as [Role, ...Role[]];
}

async function existing(path: string): Promise<ApiKeysFile> {
  try {
    await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { keys: [] };
  }
  return (await loadOrCreateKeys(path)).file;
}

/** Adds a key with a new random token and returns the token; only its sha256 is written. */
export async function createKey(path: string, id: string, roles: [Role, ...Role[]]): Promise<string> {
  if (!ID.test(id)) throw new KeyEditError(`--id must be 1 to 64 of A-Z a-z 0-9 . _ -, got ${JSON.stringify(id)}`);
  const file = await existing(path);
  if (file.keys.some((k) => k.id === id)) throw new KeyEditError(`a key "${id}" already exists in ${path}; revoke it first`);
  const token = `tdo_${randomBytes(24).toString('base64url')}`;
  file.keys.push({
    id,
    sha256: createHash('sha256').update(token).digest('hex'),
    roles,
  });
  await writeKeys(path, file);
  return token;
}

/** Removes the key `id`; refused when there is no such key. */
export async function revokeKey(path: string, id: string): Promise<void> {
  const file = await existing(path);
  const kept = file.keys.filter((k) => k.id !== id);
  if (kept.length === file.keys.length) throw new KeyEditError(`no key "${id}" in ${path}${file.keys.length ? ` (keys: ${file.keys.map((k) => k.id).join(', ')})` : ''}`);
  await writeKeys(path, { keys: kept });
}

/** Key ids and roles, never digests. */
export async function listKeys(path: string): Promise<{ id: string; roles: Role[] }[]> {
  return (await existing(path)).keys.map((k) => ({ id: k.id, roles: k.roles }));
}
