import { InvalidArgumentError, type Command } from 'commander';
import { parseDuration } from '../duration.js';
import type { UiOptions } from '../../ui/run.js';
import { action, asArgument, requireControlPlane, UsageError } from '../targets.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function portNumber(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new InvalidArgumentError(`invalid port '${text}' (0-65535)`);
  return port;
}

/** Registers `logdial ui`; the server's modules load only when it runs. */
export function register(program: Command): void {
  program
    .command('ui')
    .description(
      'a local web page: every process and its loggers, levels set for a while with a click, pushes, a live tail, an audit of changes',
    )
    .option('--bus <url>', 'also list and reach every process on this Redis bus (redis://host:6379)')
    .option('--app <name>', 'only processes of this app (repeatable)', (v: string, p: string[] | undefined) => [
      ...(p ?? []),
      v,
    ])
    .option('--port <N>', 'port to listen on (default: a free one)', portNumber)
    .option(
      '--host <address>',
      'address to listen on (default 127.0.0.1); another address needs --token or LOGDIAL_UI_TOKEN: anyone who can reach it and knows the token can change your processes',
    )
    .option('--token <secret>', 'a fixed token instead of a one-time one (default: LOGDIAL_UI_TOKEN)')
    .option('--secret <secret>', 'HMAC secret of signed bus commands (default: LOGDIAL_SECRET)')
    .option(
      '--timeout <duration>',
      'how long to wait for each process (e.g. 500ms, 3s)',
      (v: string) => asArgument(() => parseDuration(v, 'ms')),
      3000,
    )
    .addHelpText(
      'after',
      `
The page is served on 127.0.0.1 only; the printed URL carries a one-time token, which the page
keeps in a same-site cookie. Every request needs it, changes also need the page's CSRF value.
Examples:
  logdial ui                                  local processes of this user
  logdial ui --bus redis://ops:6379 --app orders
Ctrl-C stops the server (temporary changes made from the page still revert by themselves).`,
    )
    .action(
      action(async (options: UiOptions) => {
        requireControlPlane();
        const token = options.token ?? process.env['LOGDIAL_UI_TOKEN'];
        if (options.host && !LOOPBACK.has(options.host) && !token)
          throw new UsageError(
            `listening on ${options.host} needs a secret token (--token or LOGDIAL_UI_TOKEN): the page changes processes`,
          );
        const { startUi } = await import('../../ui/run.js');
        const secret = options.secret ?? process.env['LOGDIAL_SECRET'];
        const ui = await startUi({
          timeout: options.timeout,
          ...(options.bus ? { bus: options.bus } : {}),
          ...(options.app?.length ? { app: options.app } : {}),
          ...(options.port !== undefined ? { port: options.port } : {}),
          ...(options.host ? { host: options.host } : {}),
          ...(token ? { token } : {}),
          ...(secret ? { secret } : {}),
        });
        if (options.host && !LOOPBACK.has(options.host))
          process.stderr.write(`logdial ui: listening on ${options.host}, beyond this machine (plain HTTP)\n`);
        process.stdout.write(`logdial ui: ${ui.url}\n`);
        await new Promise<void>((resolve) => {
          for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => resolve());
        });
        await ui.close();
      }),
    );
}
