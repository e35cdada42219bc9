import { watch, type FSWatcher } from 'node:fs';

/**
 * Calls `onChange` after files under `dir` stop changing for `quietMs` (editors write in bursts).
 * Returns a closer; a folder that cannot be watched is reported once through `onError` and left unwatched.
 */
export function watchPolicies(dir: string, onChange: () => void, onError: (e: Error) => void, quietMs = 300): () => void {
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { recursive: true, persistent: false }, () => {
      clearTimeout(timer);
      timer = setTimeout(onChange, quietMs);
    });
    watcher.on('error', onError);
  } catch (e) {
    onError(e as Error);
  }
  return () => {
    clearTimeout(timer);
    watcher?.close();
  };
}
