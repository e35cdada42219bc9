import type { Command } from 'commander';
import { evaluatorFactory, referenceFactory } from '../../app/evaluators.js';
import { policyCheck } from './policy-check.js';
import { policyDiffCommand } from './policy-diff.js';
import { exitWith, group } from './program.js';

const out = (s: string) => process.stdout.write(`${s}\n`);

/** `tideover policy check | diff`; other files add their own `policy` subcommands through `group`. */
export function registerPolicy(program: Command): void {
  const policy = group(program, 'policy', 'validate, test and compare policy files');
  policy
    .command('check')
    .description('validate policies and run their YAML tests (exit 1 on any error or failing case)')
    .argument('[paths...]', 'policy files or folders (default: POLICY_DIR or ./policies)')
    .option('--coverage', 'also require every rule to have both fired and not fired in the tests')
    .option('--json', 'print the result as JSON only')
    .action(async (paths: string[], opts: { coverage?: boolean; json?: boolean }) => {
      const dirs = paths.length ? paths : [process.env.POLICY_DIR ?? 'policies'];
      exitWith(await policyCheck(dirs, { coverage: !!opts.coverage, json: !!opts.json }, evaluatorFactory(process.env.EVALUATOR), referenceFactory(process.env.EVALUATOR), out));
    });
  policy
    .command('diff')
    .description('what changed between two policy versions, in words a risk reviewer reads')
    .argument('<old>', 'the earlier policy file')
    .argument('<new>', 'the later policy file')
    .option('--json', 'print the difference as JSON only')
    .action(async (a: string, b: string, opts: { json?: boolean }) => {
      exitWith(await policyDiffCommand(a, b, { json: !!opts.json }, out));
    });
}
