import type { Command } from 'commander';
import { discoverReachable } from '../../control/discovery.js';
import { runtimeDir } from '../../control/runtime-dir.js';
import { connectBus } from '../bus-hook.js';
import { formatRemaining } from '../duration.js';
import { renderTable } from '../table.js';
import { action, addTargetOptions, requireControlPlane, sendEverywhere, type TargetOptions } from '../targets.js';

/** Registers `logdial ls`. */
export function register(program: Command): void {
  addTargetOptions(
    program.command('ls').description('list processes that accept live logging changes (stale entries are removed)'),
  ).action(
    action(async (options: TargetOptions) => {
      if (options.bus) await listBus(options.bus, options);
      else if (options.port) await listPorts(options);
      else await listLocal(options);
    }),
  );
}

/** The --app/--pid narrowing, as the listings take it. */
function processFilter(options: TargetOptions): { app?: string[]; pid?: number[] } {
  const filter: { app?: string[]; pid?: number[] } = {};
  if (options.app?.length) filter.app = options.app;
  if (options.pid?.length) filter.pid = options.pid;
  return filter;
}

/** `ls --bus URL`: the processes present on the fleet bus. */
async function listBus(url: string, options: TargetOptions): Promise<void> {
  requireControlPlane();
  const client = await connectBus(url, options.secret ?? process.env['LOGDIAL_SECRET']);
  try {
    const list = await client.list(processFilter(options));
    if (options.json) process.stdout.write(JSON.stringify(list, null, 2) + '\n');
    else if (list.length === 0) process.stdout.write('no processes on the bus (for this app)\n');
    else {
      // The same columns as a local listing (the fleet spans hosts, so HOST first).
      const now = Date.now();
      const up = (startedAt: unknown) =>
        typeof startedAt === 'string' && !Number.isNaN(Date.parse(startedAt))
          ? formatRemaining(now - Date.parse(startedAt))
          : undefined;
      process.stdout.write(
        renderTable(
          ['HOST', 'PID', 'APP', 'PROCESS', 'UP'],
          list.map((p) => [p.host, p.pid, p.app, p.processName, up(p.startedAt)]),
        ) + '\n',
      );
    }
  } finally {
    await client.close();
  }
}

/** `ls --port A-B`: what listens on each TCP port of the range. */
async function listPorts(options: TargetOptions): Promise<void> {
  // Scan the whole range at once; logdial listeners greet and answer a ping, Python's stay silent.
  const rows = await sendEverywhere({ op: 'ping' }, options);
  if (options.json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return;
  }
  process.stdout.write(
    renderTable(
      ['PORT', 'KIND', 'PID', 'APP', 'PROCESS', 'STARTED'],
      rows.map((r) => [
        r.endpoint.split(':').pop(),
        r.kind === 'python' ? 'python listen' : r.status === 'ok' ? 'logdial' : `logdial (${r.error ?? r.status})`,
        r.pid,
        r.app,
        r.processName,
        r.reply?.process.startedAt,
      ]),
    ) + '\n',
  );
}

/** `ls`: the local processes of this user, from the runtime directory. */
async function listLocal(options: TargetOptions): Promise<void> {
  // Entries of live pids whose socket refuses are stale too (docs/protocol.md): removed here.
  requireControlPlane();
  const manifests = await discoverReachable(processFilter(options));
  if (options.json) {
    process.stdout.write(JSON.stringify(manifests, null, 2) + '\n');
    return;
  }
  if (manifests.length === 0) {
    process.stdout.write(`no processes (runtime directory ${runtimeDir()})\n`);
    return;
  }
  const now = Date.now();
  process.stdout.write(
    renderTable(
      ['PID', 'APP', 'PROCESS', 'HOST', 'UP', 'TCP'],
      manifests.map((m) => [
        m.pid,
        m.app,
        m.processName,
        m.host,
        formatRemaining(now - Date.parse(m.startedAt)),
        m.port ? `${m.tcpHost ?? '127.0.0.1'}:${m.port}${m.legacy ? ' (legacy)' : ''}` : '-',
      ]),
    ) + '\n',
  );
}
