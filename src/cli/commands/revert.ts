import type { Command } from 'commander';
import { action, addTargetOptions, report, sendEverywhere, type TargetOptions } from '../targets.js';

/** Registers `logdial revert`. */
export function register(program: Command): void {
  addTargetOptions(
    program.command('revert').description('drop temporary changes: processes return to their base configuration'),
  ).action(
    action(async (options: TargetOptions) => {
      report(await sendEverywhere({ op: 'revert' }, options), options, 'processes');
    }),
  );
}
