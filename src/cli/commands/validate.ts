import type { Command } from 'commander';

/** Registers `logdial validate`. (placeholder: replaced by the owner of this command) */
export function register(program: Command): void {
  program.command('validate').description('(not implemented yet)').action(() => {
    throw new Error('logdial validate is not implemented yet');
  });
}
