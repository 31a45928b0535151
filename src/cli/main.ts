/**
 * The `logdial` command line. Each subcommand lives in its own module under `cli/commands/` and
 * registers itself on the program.
 */
import { Command, CommanderError } from 'commander';
import { packageVersion } from '../control/state.js';
import { register as registerDemo } from './commands/demo.js';
import { register as registerLs } from './commands/ls.js';
import { register as registerPush } from './commands/push.js';
import { register as registerRevert } from './commands/revert.js';
import { register as registerSet } from './commands/set.js';
import { register as registerStatus } from './commands/status.js';
import { register as registerValidate } from './commands/validate.js';
import { register as registerView } from './commands/view.js';

/** Builds the program with every subcommand. */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('logdial')
    .description('Change the logging of running Node.js (and Python) processes without a restart.')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const register of [registerLs, registerStatus, registerPush, registerSet, registerRevert, registerValidate, registerView, registerDemo]) {
    register(program);
  }
  return program;
}

/**
 * Runs the CLI with `argv` (as `process.argv`) and resolves to the exit code. A command's action
 * sets `process.exitCode` (0 ok, 1 a target rejected or did not answer, 2 usage errors).
 */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors were already printed.
      return error.exitCode === 0 ? 0 : 2;
    }
    throw error;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
