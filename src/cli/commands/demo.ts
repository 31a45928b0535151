import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';

/** The compiled demo, beside this build's `src/`: `<outDir>/examples/seed/demo.js`. */
export function demoScript(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples', 'seed', 'demo.js');
}

/**
 * Registers `logdial demo`: runs the same demo as `npm run demo` (examples/seed/demo.ts) in a
 * child process, passing its output and exit code through.
 */
export function register(program: Command): void {
  program
    .command('demo')
    .description('replay the seed article live: 5 processes, a push of error.conf, a 5 s debug window (~20 s)')
    .action(async () => {
      const script = demoScript();
      if (!existsSync(script)) {
        process.stderr.write(
          `logdial demo: ${script} not found; the demo ships with the repository (git clone, npm install, npm run demo)\n`,
        );
        process.exitCode = 1;
        return;
      }
      const child = spawn(process.execPath, [script], { stdio: 'inherit' });
      // Ctrl-C reaches the demo too (same terminal process group); it stops its processes itself.
      const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
      const onInt = forward('SIGINT');
      const onTerm = forward('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
      const code = await new Promise<number>((done) => {
        child.on('error', (error) => {
          process.stderr.write(`logdial demo: ${error.message}\n`);
          done(1);
        });
        child.on('close', (exitCode, signal) => done(exitCode ?? (signal ? 128 + 2 : 1)));
      });
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      process.exitCode = code;
    });
}
