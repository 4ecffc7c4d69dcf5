import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../../src/core/scan/builtin.ts';
import { currentRuleDocs } from '../../../src/core/scan/rule-docs.ts';
import { RULES } from '../../../src/core/scan/rules/index.ts';
import { SEVERITIES } from '../../../src/core/scan/severity.ts';

const docsFile = path.join(import.meta.dirname, '..', '..', '..', 'docs', 'rules.md');

describe('rule metadata and docs/rules.md', () => {
  it('docs/rules.md is what scripts/gen-rule-docs.ts generates from the metadata', async () => {
    const committed = await readFile(docsFile, 'utf8');
    expect(committed, 'docs/rules.md is stale: run `npx node scripts/gen-rule-docs.ts`').toBe(
      currentRuleDocs(),
    );
  });

  it('every rule has a unique id and anchor, a known severity and complete texts', () => {
    const metas = [...RULES.map((rule) => rule.meta), ...BUILTIN_RULES];
    expect(new Set(metas.map((meta) => meta.id)).size).toBe(metas.length);
    expect(new Set(metas.map((meta) => meta.docsAnchor)).size).toBe(metas.length);
    for (const meta of metas) {
      expect(meta.id, meta.id).toMatch(/^[A-Z0-9]+(-[A-Z0-9]+)+$/);
      expect(meta.docsAnchor, meta.id).toMatch(/^[a-z0-9-]+$/);
      expect(SEVERITIES, meta.id).toContain(meta.severity);
      expect(meta.title.length, meta.id).toBeGreaterThan(0);
      expect(meta.message.length, meta.id).toBeGreaterThan(0);
      expect(meta.fix.length, meta.id).toBeGreaterThan(0);
      for (const invariant of meta.invariants)
        expect(invariant, meta.id).toMatch(/^INV-(?:[1-9]|1[0-2])$/);
    }
  });
});
