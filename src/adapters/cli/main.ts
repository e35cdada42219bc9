#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { policyCheck } from './policy-check.js';
import { evaluatorFactory, referenceFactory } from '../../app/evaluators.js';

const USAGE = `usage:
  tideover policy check [--coverage] [--json] [paths…]   validate policies and run their YAML tests
  tideover policy diff <old.yaml> <new.yaml> [--json]     what changed between two policy versions
  tideover simulate --baseline <version|file> --candidate <file>
           (--applications <file.ndjson> | --from-audit --since YYYY-MM-DD) [--json]
                                                          decide a corpus under both policies and compare
  tideover serve                                          start the HTTP service (same as npm start)
  tideover audit verify | replay <decisionId> | purge --before YYYY-MM-DD
`;

async function main(argv: string[]): Promise<number> {
  const [group, command, ...rest] = argv;
  const out = (s: string) => process.stdout.write(`${s}\n`);
  if (group === 'policy' && command === 'check') {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { coverage: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
    const paths = positionals.length ? positionals : [process.env.POLICY_DIR ?? 'policies'];
    return policyCheck(paths, { coverage: values.coverage, json: values.json }, evaluatorFactory(process.env.EVALUATOR), referenceFactory(process.env.EVALUATOR), out);
  }
  if (group === 'policy' && command === 'diff') {
    const { policyDiffCommand } = await import('./policy-diff.js');
    return policyDiffCommand(rest, out, (s) => process.stderr.write(`${s}\n`));
  }
  if (group === 'simulate') {
    const { simulateCommand } = await import('./simulate.js');
    return simulateCommand(command === undefined ? [] : [command, ...rest], out, (s) => process.stderr.write(`${s}\n`));
  }
  if (group === 'serve') {
    const { run } = await import('../../main.js');
    await run();
    return -1;
  }
  if (group === 'audit') {
    const { auditCommand } = await import('./audit.js');
    return auditCommand(command, rest, out);
  }
  process.stderr.write(group === undefined || group === '--help' || group === 'help' ? USAGE : `tideover: unknown command "${argv.join(' ')}"\n${USAGE}`);
  return group === undefined || group === '--help' || group === 'help' ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`tideover: ${(e as Error).message}\n`);
    process.exitCode = 1;
  },
);
