import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { shown } from '../../control/escape.js';
import type { ApplyCommand, ConfigFormat } from '../../control/protocol.js';
import { collectImport, IMPORT_HELP, importModules } from '../imports.js';
import { action, addTargetOptions, report, sendEverywhere, ttlOption, type TargetOptions } from '../targets.js';

/** The format of a config file: by extension, else by its first character. */
export function formatOf(file: string, text: string, given?: string): ConfigFormat {
  if (given) {
    const f = given.toLowerCase();
    if (f === 'ini' || f === 'conf') return 'ini';
    if (f === 'json') return 'json';
    if (f === 'yaml' || f === 'yml') return 'yaml';
    throw new Error(`unknown format '${given}' (ini, json, yaml)`);
  }
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.conf' || ext === '.ini' || ext === '.cfg') return 'ini';
  return text.trimStart().startsWith('{') ? 'json' : 'ini';
}

/** Registers `logdial push FILE`. */
export function register(program: Command): void {
  addTargetOptions(
    program
      .command('push')
      .description(
        'replace the logging configuration of running processes with FILE (INI, JSON or YAML); validated here first',
      )
      .argument('<FILE>', 'config file')
      .option('--format <format>', 'ini, json or yaml (default: from the extension)')
      .option('--for <duration>', 'make the change temporary: it reverts by itself (10s, 5m, 1h)', ttlOption)
      .option('--disable-existing', "Python's disable_existing_loggers=True: silence loggers the file does not name")
      .option('--import <MODULE>', IMPORT_HELP, collectImport),
  ).action(
    action(
      async (
        file: string,
        options: TargetOptions & { for?: number; format?: string; disableExisting?: boolean; import?: string[] },
      ) => {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          const why =
            code === 'ENOENT'
              ? 'no such file'
              : code === 'EISDIR'
                ? 'it is a directory'
                : code === 'EACCES'
                  ? 'permission denied'
                  : (error as Error).message;
          throw new Error(`cannot read ${file}: ${why}\nnothing was sent`);
        }
        const format = formatOf(file, text, options.format);
        // A broken file never leaves the CLI. (The config layer is loaded only here: other commands
        // start faster without it.)
        const [{ parseConfigText }, { describeError }] = await Promise.all([
          import('../../config/load.js'),
          import('../../control/reply-error.js'),
        ]);
        try {
          await importModules(options.import);
          parseConfigText(text, format, { file });
        } catch (error) {
          const e = describeError(error);
          const where = e.location && !e.message.includes(e.location) ? `${e.location}: ` : '';
          if (options.json) process.stdout.write(JSON.stringify({ sent: false, error: e }, null, 2) + '\n');
          process.stderr.write(`logdial: ${shown(`${where}${e.message}`)}\nnothing was sent\n`);
          process.exitCode = 1;
          return;
        }
        const cmd: ApplyCommand = { op: 'apply', config: text, format, source: basename(file) };
        if (options.for !== undefined) cmd.ttl = options.for;
        if (options.disableExisting) cmd.disableExisting = true;
        report(await sendEverywhere(cmd, options), options, 'processes');
      },
    ),
  );
}
