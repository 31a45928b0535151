/** Entry point used by `bin/logdial.js` and by tests that spawn the compiled CLI directly. */
import { main } from './main.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`logdial: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
