import { describe, expect, it } from 'vitest';
import { createBaseline } from '../../../src/core/scan/baseline.ts';
import { DEFAULT_CONFIG, parseConfig } from '../../../src/core/scan/config.ts';
import { summarize } from '../../../src/core/scan/engine.ts';
import { rule as legacyToken } from '../../../src/core/scan/rules/k8s-01-legacy-sa-token-secret.ts';
import { probeRule } from './support/probe-rule.ts';
import { active, scanFiles } from './support/scan-files.ts';

function tokenSecret(name: string, annotation?: string): string {
  const annotations =
    annotation === undefined
      ? ''
      : `  annotations:\n    wif.dev/ignore: ${JSON.stringify(annotation)}\n`;
  return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: ci\n${annotations}type: kubernetes.io/service-account-token\n`;
}

const rules = [legacyToken];

describe('suppressions', () => {
  it('honours an annotation naming the rule, with its justification, and counts it', async () => {
    const result = await scanFiles(
      {
        'a.yaml': tokenSecret(
          't',
          'K8S-01: read by the legacy backup job until it moves to projected tokens',
        ),
      },
      { rules },
    );
    expect(active(result)).toEqual([]);
    expect(result.findings[0]?.suppression).toEqual({
      by: 'annotation',
      reason: 'read by the legacy backup job until it moves to projected tokens',
      until: null,
    });
    expect(summarize(result).suppressed).toBe(1);
  });

  it('honours an annotation naming an invariant of the rule', async () => {
    const result = await scanFiles(
      { 'a.yaml': tokenSecret('t', 'INV-4: vendor chart, tracked in SEC-12') },
      { rules },
    );
    expect(active(result)).toEqual([]);
  });

  it('brings a finding back once the suppression has expired, and says so', async () => {
    const result = await scanFiles(
      { 'a.yaml': tokenSecret('t', 'K8S-01: migration window; until=2026-05-31') },
      { rules, now: new Date('2026-06-01T00:00:00Z') },
    );
    const [finding] = active(result);
    expect(finding?.ruleId).toBe('K8S-01');
    expect(finding?.expired?.until).toBe('2026-05-31');
    expect(finding?.message).toContain('expired');
  });

  it('keeps a suppression on its last day', async () => {
    const result = await scanFiles(
      { 'a.yaml': tokenSecret('t', 'K8S-01: migration window; until=2026-06-01') },
      { rules, now: new Date('2026-06-01T23:00:00Z') },
    );
    expect(active(result)).toEqual([]);
  });

  it('refuses a suppression without a justification and reports it', async () => {
    const result = await scanFiles({ 'a.yaml': tokenSecret('t', 'K8S-01:') }, { rules });
    expect(
      active(result)
        .map((finding) => finding.ruleId)
        .sort(),
    ).toEqual(['K8S-01', 'WIF-SUPPRESS']);
  });

  it('honours an inline comment on the line above the finding', async () => {
    const text = tokenSecret('t').replace(
      'type:',
      '# wif:ignore K8S-01 consumed by an external monitor\ntype:',
    );
    const result = await scanFiles({ 'a.yaml': text }, { rules });
    expect(active(result)).toEqual([]);
    expect(result.findings[0]?.suppression?.by).toBe('comment');
  });

  it('honours a comment at the top of a document for the whole document only', async () => {
    const text = `# wif:ignore K8S-01 bootstrap token for the old cluster\n${tokenSecret('first')}---\n${tokenSecret('second')}`;
    const result = await scanFiles({ 'a.yaml': text }, { rules });
    expect(active(result).map((finding) => finding.object?.name)).toEqual(['second']);
  });

  it('does not let a comment for another rule suppress this one', async () => {
    const text = tokenSecret('t').replace('type:', '# wif:ignore K8S-02 unrelated\ntype:');
    const result = await scanFiles({ 'a.yaml': text }, { rules });
    expect(active(result)).toHaveLength(1);
  });

  it('applies .wif.yaml ignores to the paths they name only', async () => {
    const result = await scanFiles(
      { 'legacy/a.yaml': tokenSecret('a'), 'apps/b.yaml': tokenSecret('b') },
      {
        rules,
        config: {
          ignore: [
            { rule: 'K8S-01', paths: ['legacy/**'], reason: 'decommissioned in Q4', until: null },
          ],
        },
      },
    );
    expect(active(result).map((finding) => finding.file)).toEqual(['apps/b.yaml']);
    expect(
      result.findings.find((finding) => finding.file === 'legacy/a.yaml')?.suppression?.by,
    ).toBe('config');
  });

  it('suppresses exactly the baselined findings, so a new one still fails', async () => {
    const first = await scanFiles({ 'a.yaml': tokenSecret('a') }, { rules });
    const baseline = createBaseline(first.findings, '2026-06-01');
    const second = await scanFiles(
      {
        'a.yaml': `# a line added above moves the finding\n${tokenSecret('a')}`,
        'b.yaml': tokenSecret('b'),
      },
      { rules, baseline },
    );
    expect(active(second).map((finding) => finding.file)).toEqual(['b.yaml']);
    expect(second.findings.find((finding) => finding.file === 'a.yaml')?.suppression?.by).toBe(
      'baseline',
    );
  });

  it('applies .wif.yaml severity overrides', async () => {
    const result = await scanFiles(
      { 'a.yaml': tokenSecret('a') },
      { rules, config: { severity: { 'K8S-01': 'low' } } },
    );
    expect(active(result)[0]?.severity).toBe('low');
  });

  it('does not run disabled rules', async () => {
    const result = await scanFiles(
      { 'a.yaml': tokenSecret('a') },
      { rules, config: { disable: ['K8S-01'] } },
    );
    expect(result.findings).toEqual([]);
  });
});

describe('.wif.yaml parsing', () => {
  it('treats an empty or comment-only file as the defaults', () => {
    expect(parseConfig('')).toEqual(DEFAULT_CONFIG);
    expect(parseConfig('# nothing configured yet\n')).toEqual(DEFAULT_CONFIG);
  });

  it('names the offending key in a usage error', () => {
    expect(() => parseConfig('rulez: {}\n')).toThrow('.wif.yaml: unknown key "rulez".');
    expect(() => parseConfig('ignore:\n  - rule: K8S-01\n')).toThrow(
      /ignore\[0\]\.reason is required/,
    );
    expect(() => parseConfig('ignore:\n  - {rule: K8S-01, reason: x, until: soon}\n')).toThrow(
      /until must be a YYYY-MM-DD date/,
    );
  });

  it('reads every documented key', () => {
    const config = parseConfig(`rules:
  disable: [k8s-16]
  severity: {K8S-18: low}
trustDomains: [prod.example.com]
platformNamespaces: [spire]
clusters: {names: [prod-eu], vaultMount: "k8s-{cluster}"}
issuers: [https://gitlab.example.com]
ignore:
  - {rule: inv-2, paths: ["legacy/**"], reason: old cluster, until: 2026-12-31}
`);
    expect(config).toEqual({
      enable: null,
      disable: ['K8S-16'],
      severity: { 'K8S-18': 'low' },
      trustDomains: ['prod.example.com'],
      platformNamespaces: ['spire'],
      clusters: { names: ['prod-eu'], vaultMount: 'k8s-{cluster}' },
      issuers: ['https://gitlab.example.com'],
      ignore: [{ rule: 'INV-2', paths: ['legacy/**'], reason: 'old cluster', until: '2026-12-31' }],
    });
  });
});

describe('inline suppressions in HCL', () => {
  const keyRule = probeRule((document) =>
    document.classification.kind === 'terraform'
      ? [
          ['resource', 'aws_iam_access_key', 'ci', 0, 'user'],
          ['resource', 'aws_iam_access_key', 'backup', 0, 'user'],
        ]
      : [],
  );

  it('lets a comment above a block cover the whole block, and only that block', async () => {
    const text = `# wif:ignore TEST-01 rotated by the vendor integration until=2099-01-01
resource "aws_iam_access_key" "ci" {
  user = "ci"
}

resource "aws_iam_access_key" "backup" {
  user = "backup"
}
`;
    const result = await scanFiles({ 'infra/keys.tf': text }, { rules: [keyRule] });
    expect(active(result).map((finding) => `${finding.line}`)).toEqual(['7']);
    expect(result.findings.find((finding) => finding.line === 3)?.suppression).toEqual({
      by: 'comment',
      reason: 'rotated by the vendor integration',
      until: '2099-01-01',
    });
  });
});
