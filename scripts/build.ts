import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildOptions } from './build-config.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = process.argv[2] ?? join(root, 'dist');

rmSync(outdir, { recursive: true, force: true });
const result = await build(buildOptions(root, outdir));
const outputs = Object.entries(result.metafile?.outputs ?? {});
const total = outputs.reduce((sum, [, o]) => sum + o.bytes, 0);
console.log(
  `built ${outputs.length} files, ${(total / 1024 / 1024).toFixed(2)} MiB, into ${outdir}`,
);
