import { Command, CommanderError } from 'commander';
import pkg from '../../../package.json' with { type: 'json' };

/** Exit code for a usage error (unknown option or command, missing argument), as getopt-style tools use. */
export const USAGE_ERROR = 2;

/**
 * The `tideover` program with the settings every subcommand inherits: help and version on stdout with exit
 * 0, usage errors on stderr with a suggestion and exit 2. Groups register themselves on it afterwards
 * (settings are copied to a subcommand when it is created, so they are set here first).
 */
export function createProgram(): Command {
  return new Command('tideover')
    .description('Policy-as-code decisions for loan restructuring: the service, its policies and its audit trail')
    .version(pkg.version, '-V, --version', 'print the version and exit')
    .helpCommand(true)
    .showSuggestionAfterError(true)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
    });
}

/**
 * The subcommand `name` of `parent`, created on first use, so that groups registered from different files
 * (e.g. `policy check` here and `policy draft` elsewhere) share one `policy` command.
 */
export function group(parent: Command, name: string, description: string): Command {
  const found = parent.commands.find((c) => c.name() === name);
  if (found) return found;
  return parent.command(name).description(description);
}

/** Records an action's exit code; the process ends with it once the event loop is empty. */
export function exitWith(code: number): void {
  process.exitCode = code;
}

/** Parses argv and runs the action; a usage error exits 2, help and version exit 0, a thrown error exits 1. */
export async function runProgram(program: Command, argv: string[]): Promise<void> {
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      const ok = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0;
      process.exitCode = ok ? 0 : USAGE_ERROR;
      return;
    }
    process.stderr.write(`tideover: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
