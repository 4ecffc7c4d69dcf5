/**
 * POSIX shell quoting for `export` lines: single quotes, with embedded single quotes closed,
 * escaped and reopened. Safe for any byte string a credential can hold.
 */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function exportLine(name: string, value: string): string {
  return `export ${name}=${shellQuote(value)}`;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isEnvName(name: string): boolean {
  return ENV_NAME.test(name);
}

/** `token-file` → `WIF_TOKEN_FILE`: how outputs become variables where a platform has no outputs. */
export function outputToEnvName(output: string, prefix = 'WIF_'): string {
  return `${prefix}${output.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}`;
}
