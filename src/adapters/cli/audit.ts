import { parseArgs } from 'node:util';
import { evaluatorFactory } from '../../app/evaluators.js';
import { replayDecision } from '../../app/replay.js';
import { loadConfig } from '../../config.js';
import { loadOrCreateSecret } from '../keys/file.js';
import { openAuditStore } from '../store/open.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `tideover audit verify | replay <id> | purge --before YYYY-MM-DD`, against AUDIT_URL. */
export async function auditCommand(command: string | undefined, args: string[], out: (s: string) => void): Promise<number> {
  const config = loadConfig(process.env);
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { before: { type: 'string' } } });
  if (command === 'purge' && (!values.before || !DATE.test(values.before))) {
    out('tideover audit purge: --before YYYY-MM-DD is required');
    return 2;
  }
  if (command === 'replay' && positionals.length !== 1) {
    out('tideover audit replay: give exactly one decision id');
    return 2;
  }
  if (command !== 'verify' && command !== 'replay' && command !== 'purge') {
    out(`tideover audit: unknown command "${command ?? ''}"; use verify, replay <id> or purge --before DATE`);
    return 2;
  }
  const store = await openAuditStore(config.AUDIT_URL, { now: () => new Date() });
  try {
    const key = await loadOrCreateSecret(config.AUDIT_KEY_FILE);
    if (command === 'verify') {
      const result = await store.verify(key);
      out(JSON.stringify(result, null, 2));
      return result.ok ? 0 : 1;
    }
    if (command === 'replay') {
      const result = await replayDecision(store, positionals[0]!, evaluatorFactory(config.EVALUATOR));
      out(JSON.stringify(result, null, 2));
      return result.identical ? 0 : 1;
    }
    const result = await store.purge(values.before!, key);
    out(JSON.stringify(result, null, 2));
    return 0;
  } finally {
    await store.close();
  }
}
