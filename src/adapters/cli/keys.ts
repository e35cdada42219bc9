import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { createKey, KeyEditError, listKeys, parseRoles, revokeKey, ROLES } from '../keys/edit.js';
import { exitWith } from './program.js';

function keysFile(): string {
  return loadConfig(process.env).API_KEYS_FILE;
}

/** A refused edit is one line on stderr and exit 1; anything else propagates. */
async function edit(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (!(e instanceof KeyEditError)) throw e;
    process.stderr.write(`tideover keys: ${e.message}\n`);
    exitWith(1);
  }
}

/** `tideover keys create | revoke | list` on API_KEYS_FILE; a running service picks the change up itself. */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('create, revoke and list API keys in API_KEYS_FILE (the running service reloads it)');
  keys
    .command('create')
    .description("add a key and print its token once; only the token's sha256 is stored")
    .requiredOption('--id <name>', 'key id, recorded in the audit trail as the caller')
    .requiredOption('--roles <list>', `comma-separated roles: ${ROLES.join(', ')}`)
    .option('--json', 'print {"id","roles","token"} as JSON only')
    .action((opts: { id: string; roles: string; json?: boolean }) =>
      edit(async () => {
        const roles = parseRoles(opts.roles);
        const path = keysFile();
        const token = await createKey(path, opts.id, roles);
        if (opts.json) process.stdout.write(`${JSON.stringify({ id: opts.id, roles, token })}\n`);
        else {
          process.stderr.write(`tideover keys: added "${opts.id}" (${roles.join(', ')}) to ${path}; the token below is shown once, store it now\n`);
          process.stdout.write(`${token}\n`);
        }
      }),
    );
  keys
    .command('revoke')
    .description('remove a key; its token stops working once the service reloads the file')
    .requiredOption('--id <name>', 'the key to remove')
    .action((opts: { id: string }) =>
      edit(async () => {
        const path = keysFile();
        await revokeKey(path, opts.id);
        process.stderr.write(`tideover keys: revoked "${opts.id}" in ${path}\n`);
      }),
    );
  keys
    .command('list')
    .description('key ids and their roles (never tokens or digests)')
    .option('--json', 'print JSON only')
    .action((opts: { json?: boolean }) =>
      edit(async () => {
        const list = await listKeys(keysFile());
        process.stdout.write(opts.json ? `${JSON.stringify(list, null, 2)}\n` : list.map((k) => `${k.id}\t${k.roles.join(',')}\n`).join(''));
      }),
    );
}
