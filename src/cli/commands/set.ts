import type { Command } from 'commander';
import { isBuiltInForeignLevel, resolveLevel } from '../../core/foreign-levels.js';
import { getLevelName, levelName } from '../../core/levels.js';
import type { SetLevelsCommand } from '../../control/protocol.js';
import {
  action,
  addTargetOptions,
  report,
  sendEverywhere,
  ttlOption,
  UsageError,
  type TargetOptions,
} from '../targets.js';

/** Parses `LOGGER=LEVEL` pairs (a bare `LEVEL` means root); throws on a bad level, before anything is sent. */
export function parseLevelPairs(pairs: string[]): Record<string, string> {
  const levels: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.lastIndexOf('=');
    const name = eq < 0 ? 'root' : pair.slice(0, eq).trim() || 'root';
    const level = (eq < 0 ? pair : pair.slice(eq + 1)).trim();
    let value: number;
    try {
      value = resolveLevel(level);
    } catch {
      throw new UsageError(
        `'${pair}': unknown level '${level}' (expected LOGGER=LEVEL with DEBUG, INFO, WARNING, ERROR, CRITICAL, NOTSET, a number, or a pino/winston level name: trace, verbose, silly, silent, …)`,
      );
    }
    // A pino/winston name goes as written: the process maps it with its own loggers' level sets.
    if (/^\d+$/.test(level)) levels[name] = String(value);
    else if (isBuiltInForeignLevel(level) && getLevelName(level.toUpperCase()) !== value)
      levels[name] = level.toLowerCase();
    else levels[name] = levelName(value);
  }
  return levels;
}

/** Registers `logdial set LOGGER=LEVEL...`. */
export function register(program: Command): void {
  addTargetOptions(
    program
      .command('set')
      .description('set logger levels in running processes (root=DEBUG app.db=INFO; a bare LEVEL means root)')
      .argument('<LOGGER=LEVEL...>', 'levels to set')
      .option('--for <duration>', 'make the change temporary: it reverts by itself (10s, 5m, 1h)', ttlOption)
      .option(
        '--create',
        'create loggers a process does not have yet (without it, an unknown name is rejected: most likely a typo)',
      ),
  ).action(
    action(async (pairs: string[], options: TargetOptions & { for?: number; create?: boolean }) => {
      const levels = parseLevelPairs(pairs);
      const cmd: SetLevelsCommand = { op: 'set', levels };
      if (options.for !== undefined) cmd.ttl = options.for;
      if (options.create) cmd.create = true;
      report(await sendEverywhere(cmd, options), options, 'processes');
    }),
  );
}
