import type { Command } from 'commander';

/** Registers `logdial revert`. (placeholder: replaced by the owner of this command) */
export function register(program: Command): void {
  program.command('revert').description('(not implemented yet)').action(() => {
    throw new Error('logdial revert is not implemented yet');
  });
}
