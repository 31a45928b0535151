import type { Command } from 'commander';

/** Registers `logdial ls`. (placeholder: replaced by the owner of this command) */
export function register(program: Command): void {
  program.command('ls').description('(not implemented yet)').action(() => {
    throw new Error('logdial ls is not implemented yet');
  });
}
