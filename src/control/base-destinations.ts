/**
 * The destinations of the configurations the process applied itself (its base config, a reload
 * of its own file), noted whenever a push finds one in effect; they stay allowed for pushes for
 * the life of the process. Without this the allow-list followed whatever was pushed last: after
 * a permanent push that writes no files, the process could no longer be sent back to its own log.
 */
import { dirname, resolve } from 'node:path';

/** Paths and network destinations a spec writes to, as the bridge reports them. */
export interface Destinations {
  paths: string[];
  addresses: string[];
}

/** Directories and addresses of every configuration the process applied itself. */
export class BaseDestinations {
  readonly directories = new Set<string>();
  readonly addresses = new Set<string>();
  readonly #pushed = new WeakSet<object>();
  readonly #seen = new WeakSet<object>();

  /** Notes that `spec` came from a push (its destinations are not the process's own). */
  markPushed(spec: object): void {
    this.#pushed.add(spec);
  }

  /** Remembers the destinations of the configuration in effect, unless a push applied it. */
  remember(spec: object | undefined, destinations: () => Destinations): void {
    if (!spec || this.#pushed.has(spec) || this.#seen.has(spec)) return;
    this.#seen.add(spec);
    const { paths, addresses } = destinations();
    for (const path of paths) this.directories.add(dirname(resolve(path)));
    for (const address of addresses) this.addresses.add(address);
  }
}
