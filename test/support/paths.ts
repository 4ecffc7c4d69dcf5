import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The Node 24 binary from the `node` devDependency: what `runs.using: node24` means. */
export const node24 = join(repoRoot, 'node_modules', 'node', 'bin', 'node');
export const distCli = join(repoRoot, 'dist', 'cli.js');
