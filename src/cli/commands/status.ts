import type { Command } from 'commander';

/** Registers `logdial status`. (placeholder: replaced by the owner of this command) */
export function register(program: Command): void {
  program.command('status').description('(not implemented yet)').action(() => {
    throw new Error('logdial status is not implemented yet');
  });
}
