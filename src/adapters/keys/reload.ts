import { watch, type FSWatcher } from 'node:fs';
import { access } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { ApiKey } from '../../generated/api-keys.js';
import { loadOrCreateKeys } from './file.js';

export interface KeyReloadLog {
  info(message: string, meta?: object): void;
  error(message: string, meta?: object): void;
}

/**
 * Reloads API_KEYS_FILE into `apply` when the file changes or the process gets SIGHUP, without a restart.
 * The folder is watched, not the file: `tideover keys` (and most editors) replace the file by a rename,
 * which a watch on the old file would not see. A file that no longer loads is refused and logged; the keys
 * already in force stay. Returns a closer.
 */
export function reloadKeysOnChange(path: string, apply: (keys: ApiKey[]) => void, log: KeyReloadLog, quietMs = 200): () => void {
  let timer: NodeJS.Timeout | undefined;
  // A missing file is refused rather than re-created: a new admin token nobody saw would lock everyone out.
  const reload = (trigger: string) =>
    access(path)
      .then(() => loadOrCreateKeys(path))
      .then(
        ({ file }) => {
          apply(file.keys);
          log.info('API keys reloaded', { trigger, keys: file.keys.length });
        },
        (e: Error) => log.error('API keys reload refused; the previous keys stay in force', { trigger, error: e.message }),
      );
  const onSignal = () => void reload('SIGHUP');
  process.on('SIGHUP', onSignal);
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, name) => {
      if (name !== null && name !== basename(path)) return;
      clearTimeout(timer);
      timer = setTimeout(() => void reload('file change'), quietMs);
    });
    watcher.on('error', (e) =>
      log.error('API keys file not watched; send SIGHUP to reload it', {
        error: e.message,
      }),
    );
  } catch (e) {
    log.error('API keys file not watched; send SIGHUP to reload it', {
      error: (e as Error).message,
    });
  }
  return () => {
    clearTimeout(timer);
    watcher?.close();
    process.off('SIGHUP', onSignal);
  };
}
