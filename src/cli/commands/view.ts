import type { Command } from 'commander';
import { localTargets, senderInfo, sendToAll } from '../../control/client.js';
import type { ControlCommand } from '../../control/protocol.js';
import type { LevelControl } from '../../viewer/viewer.js';

/** Sends a command to every process of `app` and sums up the answers for the status line. */
async function toApp(app: string, cmd: ControlCommand, what: string): Promise<string> {
  const results = await sendToAll(localTargets({ app }), { ...cmd, sender: senderInfo() }, { timeoutMs: 3000 });
  if (results.length === 0) return `no process of app ${app} is listening yet`;
  const ok = results.filter((r) => r.status === 'ok').length;
  const failed = results.filter((r) => r.status !== 'ok');
  const firstError = failed[0]?.error ? `: ${failed[0].error}` : '';
  return `${what} on ${ok}/${results.length} process${results.length === 1 ? '' : 'es'}${failed.length ? `, ${failed.length} failed${firstError}` : ''}`;
}

/** Registers `logdial view`. */
export function register(program: Command): void {
  program
    .command('view')
    .description('Live, filterable view of a program\'s output; on a terminal, keys turn its log level up and down')
    .option('-e, --exec <command>', 'run this shell command and view its stdout and stderr (it gets a control endpoint)')
    .option('-f, --filter <regex>', 'show only lines matching this regular expression (case-insensitive)')
    .option('--app <name>', 'app name for the started program\'s control endpoint (default: its LOGDIAL_APP, or view-<pid>)')
    .addHelpText(
      'after',
      `
Without -e, standard input is viewed (e.g. \`node app.js 2>&1 | logdial view\`).
Keys (terminal only): / filter, esc clear filter, d/i/w/e/c set the root level to
DEBUG/INFO/WARNING/ERROR/CRITICAL in the viewed program, r revert, p pause,
PgUp/PgDn scroll, q quit (stops the program).
Without a terminal the filtered lines pass through and the exit code is the program's.`,
    )
    .action(async (opts: { exec?: string; filter?: string; app?: string }) => {
      let levels: LevelControl | undefined;
      let env: NodeJS.ProcessEnv | undefined;
      if (opts.exec) {
        const app = opts.app ?? process.env['LOGDIAL_APP'] ?? `view-${process.pid}`;
        env = { ...process.env, LOGDIAL_LISTEN: '1', LOGDIAL_APP: app };
        if (process.stdout.isTTY && !process.env['NO_COLOR']) env['FORCE_COLOR'] ??= '1';
        levels = {
          set: (level) => toApp(app, { op: 'set', levels: { '': level } }, `root → ${level}`),
          revert: () => toApp(app, { op: 'revert' }, 'reverted'),
        };
      }
      // Loaded here, so other commands do not load the viewer.
      const { runViewer } = await import('../../viewer/viewer.js');
      process.exitCode = await runViewer({
        ...(opts.exec ? { command: opts.exec } : {}),
        ...(opts.filter ? { filter: opts.filter } : {}),
        ...(env ? { env } : {}),
        ...(levels ? { levels } : {}),
      });
    });
}
