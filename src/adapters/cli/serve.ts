import type { Command } from 'commander';

/** `tideover serve`: the HTTP service, configured by the environment as `npm start` is. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the HTTP service (same as npm start; settings come from the environment)')
    .action(async () => {
      // Loaded only here: the service's modules are not needed by any other command.
      const { run } = await import('../start-service.js');
      await run();
    });
}
