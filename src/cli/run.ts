/** Entry point used by `bin/logdial.js` and by tests that spawn the compiled CLI directly. */
import { main } from './main.js';

// `logdial ls | head -1`: the reader went away. Stop quietly, as Unix tools do, instead of
// crashing with an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`logdial: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
