/**
 * `logdial validate FILE [--json] [--import MODULE]`: parses a configuration (INI fileConfig, JSON or YAML
 * dictConfig, by extension) exactly as applying it would, without opening any file or changing
 * anything; prints a summary (exit 0) or the located error (exit 1).
 */
import type { Command } from 'commander';
import type { ParseOptions } from '../../config/load.js';
import { collectImport, IMPORT_HELP, importModules } from '../imports.js';

/** Registers `logdial validate`. */
export function register(program: Command): void {
  program
    .command('validate')
    .description('check a logging configuration file (.conf/.ini, .json, .yaml) and summarize it')
    .argument('<file>', 'configuration file')
    .option('--json', 'print the result as JSON')
    .option('--default <key=value...>', 'fileConfig defaults for %(key)s interpolation (e.g. here=/srv/app)')
    .option('--import <MODULE>', IMPORT_HELP, collectImport)
    .action(async (file: string, opts: { json?: boolean; default?: string[]; import?: string[] }) => {
      // Loaded here: the config layer (handlers, formatters, YAML) is not needed by other commands.
      const [{ ConfigError }, { loadConfigFile }, { formatSummary, summarizeSpec }] = await Promise.all([
        import('../../config/errors.js'),
        import('../../config/load.js'),
        import('../../config/summary.js'),
      ]);
      const options: ParseOptions = {};
      if (opts.default) {
        options.defaults = Object.fromEntries(
          opts.default.map((kv) => {
            const i = kv.indexOf('=');
            return i < 0 ? [kv, ''] : [kv.slice(0, i), kv.slice(i + 1)];
          }),
        );
      }
      try {
        await importModules(opts.import);
      } catch (error) {
        process.stderr.write(`logdial validate: ${(error as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      try {
        const summary = summarizeSpec(loadConfigFile(file, options));
        if (opts.json) process.stdout.write(JSON.stringify({ ok: true, file, summary }, null, 2) + '\n');
        else process.stdout.write(formatSummary(summary));
        process.exitCode = 0;
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        if (opts.json) process.stdout.write(JSON.stringify({ ok: false, file, error: e.toJSON() }, null, 2) + '\n');
        else process.stderr.write(`logdial validate: ${e.message}\n`);
        process.exitCode = 1;
      }
    });
}
