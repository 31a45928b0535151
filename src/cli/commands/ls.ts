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
      if (options.bus) {
        requireControlPlane();
        const client = await connectBus(options.bus, options.secret ?? process.env['LOGDIAL_SECRET']);
        try {
          const filter: { app?: string[]; pid?: number[] } = {};
          if (options.app?.length) filter.app = options.app;
          if (options.pid?.length) filter.pid = options.pid;
          const list = await client.list(filter);
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
        return;
      }
      if (options.port) {
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
              r.kind === 'python'
                ? 'python listen'
                : r.status === 'ok'
                  ? 'logdial'
                  : `logdial (${r.error ?? r.status})`,
              r.pid,
              r.app,
              r.processName,
              r.reply?.process.startedAt,
            ]),
          ) + '\n',
        );
        return;
      }
      const filter: { app?: string[]; pid?: number[] } = {};
      if (options.app?.length) filter.app = options.app;
      if (options.pid?.length) filter.pid = options.pid;
      // Entries of live pids whose socket refuses are stale too (docs/protocol.md): removed here.
      requireControlPlane();
      const manifests = await discoverReachable(filter);
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
    }),
  );
}
