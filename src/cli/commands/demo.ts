import type { Command } from 'commander';

/** Registers `logdial demo`. (placeholder: replaced by the owner of this command) */
export function register(program: Command): void {
  program.command('demo').description('(not implemented yet)').action(() => {
    throw new Error('logdial demo is not implemented yet');
  });
}
