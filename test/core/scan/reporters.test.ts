import { Ajv } from 'ajv';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../../src/core/scan/engine.ts';
import { renderCodeQuality } from '../../../src/core/scan/reporters/codequality.ts';
import { renderJson } from '../../../src/core/scan/reporters/json.ts';
import { renderJunit } from '../../../src/core/scan/reporters/junit.ts';
import {
  renderScanSummaryMarkdown,
  SCAN_COMMENT_MARKER,
} from '../../../src/core/scan/reporters/markdown.ts';
import { renderSarif, SARIF_RESULT_LIMIT } from '../../../src/core/scan/reporters/sarif.ts';
import { renderText } from '../../../src/core/scan/reporters/text.ts';
import { rule as staticKeys } from '../../../src/core/scan/rules/ci-static-cloud-keys.ts';
import { rule as legacyToken } from '../../../src/core/scan/rules/k8s-01-legacy-sa-token-secret.ts';
import { probeRule } from './support/probe-rule.ts';
import { scanFiles } from './support/scan-files.ts';

/**
 * The SARIF 2.1.0 fields GitHub code scanning reads, written from the OASIS specification and
 * GitHub's "SARIF support for code scanning" page (required properties, enums, limits).
 */
const sarifSchema = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    version: { const: '2.1.0' },
    $schema: { type: 'string' },
    runs: {
      type: 'array',
      minItems: 1,
      maxItems: 20,
      items: {
        type: 'object',
        required: ['tool', 'results'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name', 'rules'],
                properties: {
                  name: { type: 'string', minLength: 1 },
                  semanticVersion: { type: 'string' },
                  rules: {
                    type: 'array',
                    maxItems: 25000,
                    items: {
                      type: 'object',
                      required: [
                        'id',
                        'shortDescription',
                        'fullDescription',
                        'help',
                        'helpUri',
                        'defaultConfiguration',
                        'properties',
                      ],
                      properties: {
                        id: { type: 'string', minLength: 1 },
                        helpUri: { type: 'string', format: 'uri' },
                        shortDescription: { type: 'object', required: ['text'] },
                        fullDescription: { type: 'object', required: ['text'] },
                        help: { type: 'object', required: ['text'] },
                        defaultConfiguration: {
                          type: 'object',
                          properties: { level: { enum: ['none', 'note', 'warning', 'error'] } },
                        },
                        properties: {
                          type: 'object',
                          properties: {
                            tags: { type: 'array', maxItems: 20, items: { type: 'string' } },
                            'security-severity': { type: 'string', pattern: '^\\d+(\\.\\d+)?$' },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          results: {
            type: 'array',
            maxItems: 25000,
            items: {
              type: 'object',
              required: ['ruleId', 'message', 'locations', 'partialFingerprints', 'level'],
              properties: {
                ruleId: { type: 'string' },
                ruleIndex: { type: 'integer', minimum: 0 },
                level: { enum: ['none', 'note', 'warning', 'error'] },
                message: {
                  type: 'object',
                  required: ['text'],
                  properties: { text: { type: 'string', minLength: 1 } },
                },
                locations: {
                  type: 'array',
                  minItems: 1,
                  maxItems: 1000,
                  items: {
                    type: 'object',
                    required: ['physicalLocation'],
                    properties: {
                      physicalLocation: {
                        type: 'object',
                        required: ['artifactLocation', 'region'],
                        properties: {
                          artifactLocation: {
                            type: 'object',
                            required: ['uri'],
                            properties: { uri: { type: 'string', not: { pattern: '^/' } } },
                          },
                          region: {
                            type: 'object',
                            required: ['startLine'],
                            properties: {
                              startLine: { type: 'integer', minimum: 1 },
                              startColumn: { type: 'integer', minimum: 1 },
                            },
                          },
                        },
                      },
                    },
                  },
                },
                partialFingerprints: {
                  type: 'object',
                  minProperties: 1,
                  additionalProperties: { type: 'string' },
                },
                suppressions: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['kind'],
                    properties: {
                      kind: { enum: ['inSource', 'external'] },
                      status: { enum: ['accepted', 'underReview', 'rejected'] },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

/** GitLab Code Quality: the fields the merge-request widget reads. */
const codeQualitySchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['description', 'check_name', 'fingerprint', 'severity', 'location'],
    properties: {
      description: { type: 'string', minLength: 1 },
      check_name: { type: 'string', minLength: 1 },
      fingerprint: { type: 'string', minLength: 1 },
      severity: { enum: ['info', 'minor', 'major', 'critical', 'blocker'] },
      location: {
        type: 'object',
        required: ['path', 'lines'],
        properties: {
          path: { type: 'string', not: { pattern: '^/' } },
          lines: {
            type: 'object',
            required: ['begin'],
            properties: { begin: { type: 'integer', minimum: 1 } },
          },
        },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat('uri', /^https?:\/\/\S+$/);

const workflow = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    env:
      AWS_ACCESS_KEY_ID: \${{ secrets.K }} # wif:ignore GHA-01 sandbox account with no data
  b:
    runs-on: ubuntu-latest
    env:
      AWS_ACCESS_KEY_ID: \${{ secrets.K }}
`;
const secret = `apiVersion: v1
kind: Secret
metadata: {name: t, namespace: ci}
type: kubernetes.io/service-account-token
`;

let result: ScanResult;
beforeAll(async () => {
  result = await scanFiles(
    { '.github/workflows/ci.yml': workflow, 'k8s/t.yaml': secret, 'k8s/broken.yaml': 'a: [\n' },
    { rules: [legacyToken, staticKeys] },
  );
});

describe('JSON report (public contract)', () => {
  it('has the documented shape with files relative to the scan root', () => {
    const report = JSON.parse(renderJson(result)) as Record<string, unknown>;
    expect(report['version']).toBe(1);
    expect(report['summary']).toEqual({
      files: 3,
      documents: 2,
      findings: 3,
      bySeverity: { critical: 1, high: 2, medium: 0, low: 0, info: 0 },
      suppressed: 1,
    });
    const findings = report['findings'] as Record<string, unknown>[];
    expect(findings.find((finding) => finding['ruleId'] === 'K8S-01')).toMatchObject({
      ruleId: 'K8S-01',
      invariant: ['INV-2', 'INV-4'],
      severity: 'high',
      file: 'k8s/t.yaml',
      line: 4,
      column: 1,
      object: { kind: 'Secret', name: 't', namespace: 'ci' },
      fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
      suppressed: false,
    });
    expect(findings.filter((finding) => finding['suppressed'] === true)).toHaveLength(1);
  });
});

describe('SARIF report', () => {
  it('satisfies the SARIF 2.1.0 fields GitHub code scanning requires', () => {
    const sarif = JSON.parse(renderSarif(result)) as unknown;
    const valid = ajv.validate(sarifSchema, sarif);
    expect(ajv.errorsText()).toBe('No errors');
    expect(valid).toBe(true);
  });

  it('gives two findings of one rule in one file distinct partial fingerprints', () => {
    const sarif = JSON.parse(renderSarif(result)) as {
      runs: { results: { ruleId: string; partialFingerprints: Record<string, string> }[] }[];
    };
    const gha = sarif.runs[0]!.results.filter((item) => item.ruleId === 'GHA-01');
    expect(gha).toHaveLength(2);
    expect(new Set(gha.map((item) => item.partialFingerprints['wifFinding/v1'])).size).toBe(2);
  });

  it('maps severities to levels and marks suppressed results as accepted', () => {
    const sarif = JSON.parse(renderSarif(result)) as {
      runs: {
        results: {
          ruleId: string;
          level: string;
          suppressions?: { status: string; justification: string }[];
        }[];
      }[];
    };
    const results = sarif.runs[0]!.results;
    expect(results.find((item) => item.ruleId === 'K8S-01')?.level).toBe('error');
    const suppressed = results.filter((item) => item.suppressions !== undefined);
    expect(suppressed.map((item) => item.suppressions?.[0])).toEqual([
      { kind: 'inSource', status: 'accepted', justification: 'sandbox account with no data' },
    ]);
  });

  it('keeps only the most severe results within GitHub’s per-run limit', async () => {
    const many = Array.from({ length: SARIF_RESULT_LIMIT + 10 }, (_, index) => `k${index}: v`).join(
      '\n',
    );
    const flood = await scanFiles(
      { 'many.yaml': `${many}\n`, 'one.yaml': 'x: 1\n' },
      {
        rules: [
          probeRule(
            (document) =>
              document.file === 'many.yaml'
                ? Object.keys(document.value as object).map((key) => [key])
                : [],
            {
              id: 'TEST-LOW',
              severity: 'low',
            },
          ),
          probeRule((document) => (document.file === 'one.yaml' ? [['x']] : []), {
            id: 'TEST-CRIT',
            severity: 'critical',
          }),
        ],
      },
    );
    const sarif = JSON.parse(renderSarif(flood)) as {
      runs: {
        results: { ruleId: string }[];
        invocations: { toolExecutionNotifications: { message: { text: string } }[] }[];
      }[];
    };
    const run = sarif.runs[0]!;
    expect(run.results).toHaveLength(SARIF_RESULT_LIMIT);
    expect(run.results[0]?.ruleId).toBe('TEST-CRIT');
    expect(run.invocations[0]?.toolExecutionNotifications.at(-1)?.message.text).toMatch(
      /^11 less severe results/,
    );
  });
});

describe('GitLab Code Quality report', () => {
  it('has every documented field, with GitLab severities, and leaves suppressed findings out', () => {
    const report = JSON.parse(renderCodeQuality(result)) as {
      check_name: string;
      severity: string;
    }[];
    expect(ajv.validate(codeQualitySchema, report)).toBe(true);
    expect(report.map((issue) => `${issue.check_name}:${issue.severity}`).sort()).toEqual([
      'GHA-01:blocker',
      'K8S-01:critical',
      'WIF-PARSE:critical',
    ]);
  });
});

/** Checks tag nesting and escaping: every element closed in order, no bare `&` or `<` in text. */
function wellFormedXmlProblem(xml: string): string | undefined {
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '');
  const stack: string[] = [];
  for (const token of body.matchAll(/<[^>]*>|[^<]+/g)) {
    const text = token[0];
    if (!text.startsWith('<')) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) return `bare & in ${text}`;
      continue;
    }
    if (/&(?!(amp|lt|gt|quot|apos);)|<[^>]*</.test(text)) return `bad markup ${text}`;
    const close = /^<\/([\w:-]+)\s*>$/.exec(text);
    if (close !== null) {
      if (stack.pop() !== close[1]) return `unexpected ${text}`;
      continue;
    }
    const open = /^<([\w:-]+)(\s+[\w:-]+="[^"<]*")*\s*(\/?)>$/.exec(text);
    if (open === null) return `malformed tag ${text}`;
    if (open[3] !== '/') stack.push(open[1]!);
  }
  return stack.length === 0 ? undefined : `unclosed ${stack.join(', ')}`;
}

describe('JUnit report', () => {
  it('is well-formed XML with one failure per unsuppressed finding and a skip per suppressed one', () => {
    const xml = renderJunit(result);
    expect(wellFormedXmlProblem(xml)).toBeUndefined();
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      xml,
    ) as {
      testsuites: { failures: string; testsuite: { name: string; skipped: string }[] };
    };
    expect(parsed.testsuites.failures).toBe('3');
    expect(parsed.testsuites.testsuite.map((suite) => `${suite.name}:${suite.skipped}`)).toContain(
      '.github/workflows/ci.yml:1',
    );
  });
});

describe('text report', () => {
  it('groups by file and ends with a summary line that states the suppressed count', () => {
    const text = renderText(result, { color: false });
    expect(text).toContain('k8s/t.yaml\n  4:1');
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      '✖ 3 findings (1 critical, 2 high) in 3 files, 2 documents; 1 suppressed',
    );
  });

  it('colours only when asked to', () => {
    expect(renderText(result, { color: false })).not.toContain('\u001b[');
    expect(renderText(result, { color: true })).toContain('\u001b[');
  });
});

describe('Markdown summary (job summary and PR comment)', () => {
  it('carries the marker, the verdict for the threshold, the suppressed count and escaped rows', () => {
    const markdown = renderScanSummaryMarkdown(result, {
      failOn: 'high',
      fileUrlBase: 'https://github.com/acme/api/blob/abc',
    });
    const lines = markdown.split('\n');
    expect(lines[0]).toBe(SCAN_COMMENT_MARKER);
    expect(lines[1]).toBe('❌ **wif scan failed**: findings at or above `high`');
    expect(markdown).toContain('**1 suppressed**');
    expect(markdown).toContain(
      '[`k8s/t.yaml:4`](https://github.com/acme/api/blob/abc/k8s/t.yaml#L4)',
    );
    expect(renderScanSummaryMarkdown(result, { failOn: 'never' }).split('\n')[1]).toBe(
      '✅ **wif scan passed**: no findings at or above `never`',
    );
  });

  it('lists at most maxRows findings and counts the rest', () => {
    const markdown = renderScanSummaryMarkdown(result, { failOn: 'high', maxRows: 1 });
    expect(markdown.match(/^\| (critical|high) /gm)).toHaveLength(1);
    expect(markdown).toContain('…and 2 more');
  });
});

describe('JUnit escaping', () => {
  it('stays well-formed when file names and messages carry markup characters', async () => {
    const nasty = await scanFiles(
      { 'k8s/a&b<"c">.yaml': secret, "k8s/x'y.yaml": 'a: [\n' },
      { rules: [legacyToken] },
    );
    expect(nasty.findings).toHaveLength(2);
    expect(wellFormedXmlProblem(renderJunit(nasty))).toBeUndefined();
  });
});
