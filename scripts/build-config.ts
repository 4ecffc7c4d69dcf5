import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';

/**
 * The one bundle layout: every action entry (src/actions/<name>/{main,post}.ts) and the CLI
 * (src/cli/main.ts) are ESM entry points of a single split build, so shared code and each SDK
 * exist once under dist/chunks and are loaded only by the entries that import them.
 */
export function entryPoints(root: string): Record<string, string> {
  const entries: Record<string, string> = { cli: join(root, 'src/cli/main.ts') };
  const actionsDir = join(root, 'src/actions');
  for (const name of readdirSync(actionsDir).sort()) {
    for (const step of ['main', 'post']) {
      const file = join(actionsDir, name, `${step}.ts`);
      if (existsSync(file)) entries[`actions/${name}/${step}`] = file;
    }
  }
  return entries;
}

export function buildOptions(root: string, outdir: string): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: entryPoints(root),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    minify: true,
    legalComments: 'none',
    chunkNames: 'chunks/[name]-[hash]',
    // CommonJS dependencies call require(); ESM output needs one.
    banner: {
      js: 'import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);',
    },
    logLevel: 'warning',
    metafile: true,
  };
}
