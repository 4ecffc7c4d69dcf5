/**
 * Regenerates docs/rules.md from the rule metadata. `--check` only compares and exits 1 when
 * the committed file is stale (for CI).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { currentRuleDocs } from '../src/core/scan/rule-docs.ts';

const target = path.join(import.meta.dirname, '..', 'docs', 'rules.md');
const expected = currentRuleDocs();

if (process.argv.includes('--check')) {
  const actual = await readFile(target, 'utf8').catch(() => '');
  if (actual !== expected) {
    console.error('docs/rules.md is stale: run `npx node scripts/gen-rule-docs.ts`.');
    process.exit(1);
  }
} else {
  await writeFile(target, expected);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
