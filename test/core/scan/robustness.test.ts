import fc from 'fast-check';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/core/scan/config.ts';
import { walk, WALK_NODE_BUDGET } from '../../../src/core/scan/document.ts';
import type { DocPath } from '../../../src/core/scan/document.ts';
import { scan } from '../../../src/core/scan/engine.ts';
import type { ScanResult } from '../../../src/core/scan/engine.ts';
import type { VirtualSource } from '../../../src/core/scan/loader/index.ts';
import type { Rule } from '../../../src/core/scan/rule.ts';
import { RULES } from '../../../src/core/scan/rules/index.ts';
import { probeRule } from './support/probe-rule.ts';

/** Scans in-memory sources with no file system involved. */
function scanSources(
  sources: readonly VirtualSource[],
  rules: readonly Rule[] = RULES,
): Promise<ScanResult> {
  return scan({
    root: '/nonexistent',
    inputs: [],
    include: [],
    exclude: [],
    config: DEFAULT_CONFIG,
    rules,
    extraSources: sources,
    now: new Date('2026-06-01T00:00:00Z'),
  });
}

/** A rule that walks every node of every document, as a careless rule would. */
function walkingRule(): { rule: Rule; visited: () => number } {
  let count = 0;
  const rule = probeRule((document) => {
    const found: DocPath[] = [];
    walk(document.value, ({ path, value }) => {
      count += 1;
      if (value === 'lol' && found.length < 3) found.push(path);
    });
    return found;
  });
  return { rule, visited: () => count };
}

function billionLaughs(levels: number): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let level = 1; level < levels; level += 1) {
    const previous = `*a${level - 1}`;
    lines.push(`a${level}: &a${level} [${Array.from({ length: 10 }, () => previous).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

function assertWellFormed(result: ScanResult): void {
  for (const finding of result.findings) {
    expect(finding.line).toBeGreaterThanOrEqual(1);
    expect(finding.column).toBeGreaterThanOrEqual(1);
    expect(finding.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  }
  expect(result.notes.filter((note) => note.message.startsWith('rule '))).toEqual([]);
}

describe('scanner robustness', () => {
  it('bounds a YAML alias bomb: rules walk at most the node budget and memory stays flat', async () => {
    const { rule, visited } = walkingRule();
    const before = process.memoryUsage().heapUsed;
    // 10^12 nodes if expanded.
    const result = await scanSources(
      [{ path: 'bomb.yaml', text: billionLaughs(12) }],
      [rule, ...RULES],
    );
    expect(visited()).toBeLessThanOrEqual(WALK_NODE_BUDGET);
    expect(result.documents).toBe(1);
    expect(result.findings.filter((finding) => finding.ruleId === 'TEST-01')).toHaveLength(3);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(256 * 1024 * 1024);
    assertWellFormed(result);
  });

  it('refuses more aliases than a real configuration uses, as a parse error', async () => {
    const many = `base: &b {x: 1}\nlist: [${Array.from({ length: 10_001 }, () => '*b').join(', ')}]\n`;
    const result = await scanSources([{ path: 'aliases.yaml', text: many }]);
    expect(result.findings.map((finding) => finding.ruleId)).toEqual(['WIF-PARSE']);
  });

  it('reports very deep YAML nesting as a parse error instead of overflowing the stack', async () => {
    const depth = 5_000;
    const flow = `${'['.repeat(depth)}${']'.repeat(depth)}\n`;
    const block = Array.from({ length: depth }, (_, level) => `${' '.repeat(level)}a:`).join('\n');
    const result = await scanSources([
      { path: 'flow.yaml', text: flow },
      { path: 'block.yaml', text: `${block} 1\n` },
    ]);
    expect(result.findings.map((finding) => `${finding.file}:${finding.ruleId}`)).toEqual([
      'block.yaml:WIF-PARSE',
      'flow.yaml:WIF-PARSE',
    ]);
  });

  it('reports very deep JSON nesting as a located parse error', async () => {
    const depth = 20_000;
    const text = `${'{"a":'.repeat(depth)}"lol"${'}'.repeat(depth)}`;
    const result = await scanSources([{ path: 'deep.json', text }]);
    expect(
      result.findings.map((finding) => `${finding.ruleId}:${finding.line}:${finding.column}`),
    ).toEqual(['WIF-PARSE:1:1001']);
  });

  it('walks and locates findings 150 levels deep', async () => {
    const depth = 150;
    const text = `${'{"a":'.repeat(depth)}"lol"${'}'.repeat(depth)}`;
    const { rule } = walkingRule();
    const result = await scanSources([{ path: 'deep.json', text }], [rule, ...RULES]);
    expect(
      result.findings.map((finding) => `${finding.ruleId}:${finding.line}:${finding.column}`),
    ).toEqual([`TEST-01:1:${5 * (depth - 1) + 2}`]);
    assertWellFormed(result);
  });

  const kinds = [
    'Deployment',
    'CronJob',
    'Pod',
    'Secret',
    'ServiceAccount',
    'ClusterRole',
    'ClusterRoleBinding',
    'Namespace',
    'ConfigMap',
  ];
  const apiVersions = [
    'v1',
    'apps/v1',
    'batch/v1',
    'rbac.authorization.k8s.io/v1',
    'external-secrets.io/v1beta1',
    'tekton.dev/v1',
  ];
  const kubernetesObject = fc.record(
    {
      apiVersion: fc.constantFrom(...apiVersions),
      kind: fc.constantFrom(...kinds),
      metadata: fc.record(
        {
          name: fc.string(),
          namespace: fc.option(fc.string()),
          annotations: fc.dictionary(fc.string(), fc.string()),
        },
        { requiredKeys: [] },
      ),
      spec: fc.anything(),
      type: fc.option(fc.string()),
      data: fc.dictionary(fc.string(), fc.string()),
    },
    { requiredKeys: ['apiVersion', 'kind'] },
  );
  const workflow = fc.record({
    on: fc.anything(),
    jobs: fc.dictionary(fc.string(), fc.anything()),
    env: fc.anything(),
    permissions: fc.anything(),
  });
  const gitlab = fc.dictionary(
    fc.string(),
    fc.record(
      { script: fc.anything(), variables: fc.anything(), id_tokens: fc.anything() },
      { requiredKeys: [] },
    ),
  );

  it('never crashes on 10,000 generated documents and raw texts (property-based)', async () => {
    const sourceArbitrary = fc.oneof(
      fc.tuple(
        fc.constant('k8s/gen.yaml'),
        fc
          .array(kubernetesObject, { maxLength: 3 })
          .map((docs) => docs.map((doc) => dump(doc, { skipInvalid: true })).join('---\n')),
      ),
      fc.tuple(
        fc.constant('.github/workflows/gen.yml'),
        workflow.map((doc) => dump(doc, { skipInvalid: true })),
      ),
      fc.tuple(
        fc.constant('.gitlab-ci.yml'),
        gitlab.map((doc) => dump(doc, { skipInvalid: true })),
      ),
      fc.tuple(
        fc.constantFrom('a.yaml', 'b.json'),
        fc.jsonValue().map((value) => JSON.stringify(value)),
      ),
      fc.tuple(fc.constant('raw.yaml'), fc.string({ unit: 'binary', maxLength: 200 })),
      fc.tuple(
        fc.constant('raw.yaml'),
        fc
          .array(
            fc.constantFrom(
              '---\n',
              'a: ',
              '- ',
              '&x ',
              '*x',
              '<<: ',
              '{',
              '}',
              '[',
              ']',
              '"',
              "'",
              '|\n',
              '  ',
              '\n',
              '# wif:ignore K8S-01 x\n',
              'kind: Secret\n',
              'apiVersion: v1\n',
              '\t',
              ':',
              ',',
            ),
            { maxLength: 40 },
          )
          .map((parts) => parts.join('')),
      ),
    );
    await fc.assert(
      fc.asyncProperty(sourceArbitrary, async ([path, text]) => {
        const result = await scanSources([{ path, text }]);
        assertWellFormed(result);
      }),
      { numRuns: 10_000 },
    );
  }, 300_000);
});
