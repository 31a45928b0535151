/** The installed logdial version, read once from its package.json (the CLI's `--version`, the process identity). */
import { readFileSync } from 'node:fs';

let version: string | undefined;

/** The installed logdial version, from its package.json; `0.0.0` when not laid out as a package. */
export function packageVersion(): string {
  version ??= readVersion();
  return version;
}

function readVersion(): string {
  try {
    const text = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
    const pkg = JSON.parse(text) as { name?: string; version?: string };
    if (pkg.name === 'logdial' && pkg.version) return pkg.version;
  } catch {
    // not laid out as a package: fall through
  }
  return '0.0.0';
}
