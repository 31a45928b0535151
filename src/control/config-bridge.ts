/**
 * The control plane's view of the config layer (`src/config/`): parse text to a spec, apply a
 * spec all-or-nothing, list the files a spec writes to, the configuration currently in effect,
 * and a config error as a reply carries it. One place, so operations do not depend on the config
 * layer's module layout.
 */
import { yaml } from '../config/lazy-yaml.js';
import {
  applySpec,
  getCurrentConfig,
  onConfigApplied,
  prepareSpecInSlices,
  specAddresses,
  specFilePaths,
} from '../config/apply.js';
import { ConfigError } from '../config/errors.js';
import { parseConfigText } from '../config/load.js';
import { parseDictConfigInSlices } from '../config/dict-config.js';
import { parseFileConfigInSlices } from '../config/file-config.js';
import { checkNoTruncation } from '../config/file-modes.js';
import { readPush } from './push-reader.js';
import type { ConfigSpec } from '../config/spec.js';
import type { ConfigFormat, ReplyError } from './protocol.js';

/** A validated configuration. */
export type Spec = ConfigSpec;

/** Parses config text (no side effects); throws the config layer's located `ConfigError`. */
export function parseConfig(
  text: string,
  format: ConfigFormat,
  file?: string,
  defaults?: Readonly<Record<string, string | number | boolean>>,
): Spec {
  return parseConfigText(text, format, { file, defaults: defaults });
}

let controlApplying = false;

/** True while the control plane applies a configuration (it tells worker threads itself). */
export function isControlApplying(): boolean {
  return controlApplying;
}

/** Calls `listener` after every configuration applied outside the control plane (in code, or a watched file's reload). */
export function onConfigAppliedOutsideControl(
  listener: (spec: Spec, source: string | null, disableExisting: boolean) => void,
): void {
  onConfigApplied((applied, options) => {
    if (!controlApplying)
      listener(applied.spec, applied.source ?? null, options.disableExisting ?? applied.spec.disableExistingLoggers);
  });
}

/**
 * Reads a pushed configuration off the main thread (syntax and push limits), then builds its
 * spec here, where the process's registered classes are known, in slices of a few milliseconds.
 * Rejects with a located `ConfigError`.
 */
export async function parsePushedConfig(
  text: string,
  format: ConfigFormat,
  file: string,
): Promise<{ spec: Spec; disableExisting: boolean | undefined }> {
  const document = await readPush(text, format, file);
  const spec =
    format !== 'ini'
      ? await parseDictConfigInSlices(document.value, { file, format })
      : text.length === 0
        ? parseConfigText(text, 'ini', { file })
        : { ...(await parseFileConfigInSlices(text, { file })), origin: { text, format } };
  checkNoTruncation(spec);
  return { spec, disableExisting: document.disableExisting };
}

/**
 * Applies a spec all-or-nothing (throws and changes nothing on error). `allowPath` throws for a
 * path the spec may not write to; the config layer checks every path before opening anything.
 */
export function applyConfig(
  spec: Spec,
  options: {
    disableExisting: boolean;
    allowPath?: (path: string) => void;
    allowAddress?: (address: string) => void;
    source?: string | null;
  },
): void {
  controlApplying = true;
  try {
    applySpec(spec, {
      disableExisting: options.disableExisting,
      source: options.source ?? undefined,
      allowPath: options.allowPath,
      allowAddress: options.allowAddress,
    });
  } finally {
    controlApplying = false;
  }
}

/** A pushed configuration checked and built, not swapped in yet. */
export interface PreparedConfig {
  /** Swaps it in: one synchronous step that cannot fail. */
  commit(): void;
  /** Closes what was built; nothing changed. */
  discard(): void;
}

/**
 * Checks a spec's destinations and builds it off to the side, in slices of a few milliseconds
 * (the process keeps logging meanwhile); nothing is changed until `commit()`. Rejects with a
 * located `ConfigError`.
 */
export async function prepareConfig(
  spec: Spec,
  options: {
    disableExisting: boolean;
    allowPath?: (path: string) => void;
    allowAddress?: (address: string) => void;
    source?: string | null;
  },
): Promise<PreparedConfig> {
  const prepared = await prepareSpecInSlices(spec, {
    disableExisting: options.disableExisting,
    source: options.source ?? undefined,
    allowPath: options.allowPath,
    allowAddress: options.allowAddress,
  });
  return {
    commit() {
      controlApplying = true;
      try {
        prepared.commit();
      } finally {
        controlApplying = false;
      }
    },
    discard: () => prepared.discard(),
  };
}

/** Network destinations (`udp://host:514`) a spec's handlers would send to. */
export function specNetworkAddresses(spec: Spec): string[] {
  return specAddresses(spec);
}

/** Absolute paths of the files a spec would write to. */
export function specPaths(spec: Spec): string[] {
  return specFilePaths(spec);
}

/** The configuration the process currently runs with, if it was applied through the config layer. */
export function currentConfig(): { spec: Spec; source: string | null } | null {
  const applied = getCurrentConfig();
  return applied ? { spec: applied.spec, source: applied.source ?? null } : null;
}

/** Formatter objects of the current configuration, by object, to their config ids (for status). */
export function formatterIds(): Map<object, string> {
  const ids = new Map<object, string>();
  const applied = getCurrentConfig();
  if (applied) for (const [id, formatter] of applied.formatters) ids.set(formatter, id);
  return ids;
}

/** An error as a reply carries it: the full message (it starts with the location) and the location. */
export function describeError(error: unknown): ReplyError {
  if (error instanceof ConfigError) {
    const location = error.location;
    return location ? { message: error.message, location } : { message: error.message };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

export { errorLine } from './error-line.js';
