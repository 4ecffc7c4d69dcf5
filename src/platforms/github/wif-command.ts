import { fileURLToPath } from 'node:url';

/**
 * argv that runs the bundled CLI from an action entry. `entryUrl` is the entry bundle's own
 * `import.meta.url` (dist/actions/<name>/main.js), so the CLI is two directories up.
 */
export function wifCommandFrom(entryUrl: string): readonly string[] {
  return [process.execPath, fileURLToPath(new URL('../../cli.js', entryUrl))];
}
