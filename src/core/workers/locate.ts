import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Worker threads run their own entry bundle: `dist/workers/<name>.js`, built from the source
 * file listed in `WORKER_SOURCES`. Code that spawns one is given the running entry's
 * `import.meta.url` (dist/cli.js or dist/actions/<action>/main.js) by its front door, so the
 * core never guesses the bundle layout. From the source tree (tests of src/) there is no bundle:
 * the caller gets `undefined` and does the work on its own thread.
 */
export const WORKER_SOURCES = {
  exchange: 'src/core/exchange/worker.ts',
} as const;

export type WorkerName = keyof typeof WORKER_SOURCES;

/** The bundled worker entry next to the running entry bundle, or undefined outside a bundle. */
export function bundledWorker(name: WorkerName, entryUrl: string | undefined): URL | undefined {
  if (entryUrl === undefined || !entryUrl.endsWith('.js')) return undefined;
  // dist/cli.js has dist/ as its directory; dist/actions/<action>/main.js sits two levels down.
  for (const relative of [`./workers/${name}.js`, `../../workers/${name}.js`]) {
    const candidate = new URL(relative, entryUrl);
    if (existsSync(fileURLToPath(candidate))) return candidate;
  }
  return undefined;
}
