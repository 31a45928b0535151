import type { Command } from 'commander';

/** Registers `logdial push`. (placeholder: replaced by the owner of this command) */
export function register(program: Command): void {
  program.command('push').description('(not implemented yet)').action(() => {
    throw new Error('logdial push is not implemented yet');
  });
}
