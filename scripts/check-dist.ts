import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Rebuilds into a temp dir and fails when the committed dist/ differs in any file. */
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fresh = mkdtempSync(join(tmpdir(), 'wif-dist-'));
try {
  execFileSync(process.execPath, [join(root, 'scripts/build.ts'), fresh], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const list = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => statSync(join(dir, f)).isFile())
      .map((f) => relative(dir, join(dir, f)))
      .sort();
  const committed = list(join(root, 'dist'));
  const built = list(fresh);
  const problems: string[] = [];
  for (const f of built) {
    if (!committed.includes(f)) problems.push(`missing from dist/: ${f}`);
    else if (!readFileSync(join(fresh, f)).equals(readFileSync(join(root, 'dist', f))))
      problems.push(`stale: dist/${f}`);
  }
  for (const f of committed)
    if (!built.includes(f)) problems.push(`not produced by the build: dist/${f}`);
  if (problems.length > 0) {
    console.error(
      `dist/ is out of date (${problems.length} difference(s)); run \`npm run build\` and commit dist/.`,
    );
    for (const p of problems.slice(0, 20)) console.error(`  ${p}`);
    process.exit(1);
  }
  console.log(`dist/ is up to date (${built.length} files).`);
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
