/**
 * Saved sessions: a view's sources, filters, conditions, highlight, format and parser, under the user's
 * XDG config directory (`$XDG_CONFIG_HOME/logdial/sessions/NAME.json`, else
 * `~/.config/logdial/sessions/…`), reopened with `logdial view --session NAME`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** What a session holds. */
export interface Session {
  commands: string[];
  files: string[];
  include: string[];
  exclude: string[];
  where: string[];
  minLevel?: string;
  caseSensitive: boolean;
  highlight?: string;
  format?: string;
  /** The parser file (`--parser`). */
  parser?: string;
  /** The running processes tapped (`--app` without `-e`); a bus URL is kept without its password. */
  tap?: SessionTap;
}

/** A tap a session reopens: the app, the logger, and the bus when over one. */
export interface SessionTap {
  app: string;
  logger: string;
  bus?: string;
}

const NAME = /^[\w.-]{1,64}$/;

/** The file of a session; throws on a name that is not a plain file name. */
export function sessionPath(name: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!NAME.test(name) || name.startsWith('.'))
    throw new Error(`session name '${name}': expected letters, digits, '.', '_' or '-' (at most 64)`);
  const config = env['XDG_CONFIG_HOME'] || join(env['HOME'] || homedir(), '.config');
  return join(config, 'logdial', 'sessions', `${name}.json`);
}

export function saveSession(name: string, session: Session, env: NodeJS.ProcessEnv = process.env): string {
  const path = sessionPath(name, env);
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  writeFileSync(path, JSON.stringify(session, null, 2) + '\n', { mode: 0o600 });
  return path;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** Reads a session; throws naming the file when it is missing or malformed. */
export function loadSession(name: string, env: NodeJS.ProcessEnv = process.env): Session {
  const path = sessionPath(name, env);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(
      `session ${name}: cannot read ${path}: ${(error as Error).message} (save one with :save ${name} in the viewer)`,
    );
  }
  if (typeof data !== 'object' || data === null) throw new Error(`session ${name}: ${path} is not a JSON object`);
  const o = data as Record<string, unknown>;
  const session: Session = {
    commands: strings(o['commands']),
    files: strings(o['files']),
    include: strings(o['include']),
    exclude: strings(o['exclude']),
    where: strings(o['where']),
    caseSensitive: o['caseSensitive'] === true,
  };
  if (typeof o['minLevel'] === 'string') session.minLevel = o['minLevel'];
  if (typeof o['highlight'] === 'string') session.highlight = o['highlight'];
  if (typeof o['format'] === 'string') session.format = o['format'];
  if (typeof o['parser'] === 'string') session.parser = o['parser'];
  const tap = o['tap'] as Record<string, unknown> | undefined;
  if (tap && typeof tap['app'] === 'string') {
    session.tap = { app: tap['app'], logger: typeof tap['logger'] === 'string' ? tap['logger'] : 'root' };
    if (typeof tap['bus'] === 'string') session.tap.bus = tap['bus'];
  }
  return session;
}
