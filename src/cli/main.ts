/**
 * The `logdial` command line. Each subcommand lives in its own module under `cli/commands/` and
 * registers itself on the program.
 */
import { Command, CommanderError } from 'commander';
import { packageVersion } from '../control/package-version.js';
import { register as registerDemo } from './commands/demo.js';
import { register as registerLs } from './commands/ls.js';
import { register as registerPush } from './commands/push.js';
import { register as registerRevert } from './commands/revert.js';
import { register as registerSet } from './commands/set.js';
import { register as registerStatus } from './commands/status.js';
import { register as registerTail } from './commands/tail.js';
import { register as registerUi } from './commands/ui.js';
import { register as registerValidate } from './commands/validate.js';
import { register as registerView } from './commands/view.js';

const HELP_FOOTER = `
Examples:
  logdial ls                                   processes of this user that accept changes
  logdial set app.db=DEBUG --for 10m --app orders
  logdial push error.conf --app orders         validated here first; each process answers
  logdial revert --app orders                  back to each process's base configuration
  logdial status --pid 4242                    loggers, handlers, config source, override
  logdial push info.conf --port 9001-9030      Python logging.config.listen peers too
  logdial ui --bus redis://host:6379           a web page: every process, levels, live tail

Targets: every local process of this user by default; --app/--pid narrow it; --port A-B
reaches TCP listeners; --bus redis://host:6379 reaches a fleet.
Environment: LOGDIAL_SECRET (TCP/bus secret), LOGDIAL_RUNTIME_DIR (where sockets live).
Exit status: 0 all acknowledged, 1 a target rejected, did not answer or none was found
(or the file is invalid: nothing is sent), 2 bad usage (a bad option or LOGGER=LEVEL: nothing is sent).
`;

/** Builds the program with every subcommand. */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('logdial')
    .description('Change the logging of running Node.js (and Python) processes without a restart.')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const register of [
    registerLs,
    registerStatus,
    registerPush,
    registerSet,
    registerRevert,
    registerValidate,
    registerView,
    registerTail,
    registerUi,
    registerDemo,
  ]) {
    register(program);
  }
  program.addHelpText('after', HELP_FOOTER);
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
