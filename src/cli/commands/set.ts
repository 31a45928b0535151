import type { Command } from 'commander';

/** Registers `logdial set`. (placeholder: replaced by the owner of this command) */
export function register(program: Command): void {
  program.command('set').description('(not implemented yet)').action(() => {
    throw new Error('logdial set is not implemented yet');
  });
}
