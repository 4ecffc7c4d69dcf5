/**
 * Writes docs/wif-config.schema.json from the exchanges' option lists, so the published
 * schema can never drift from what `wif federate` and the umbrella action accept.
 * `--check` fails instead of writing when the file is stale (a test runs it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { federationConfigSchema } from '../src/core/exchange/federation-config.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'docs', 'wif-config.schema.json');
const text = `${JSON.stringify(federationConfigSchema(), null, 2)}\n`;
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error(
      'docs/wif-config.schema.json is stale; run `npx node scripts/gen-config-schema.ts`.',
    );
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
