/**
 * SARIF 2.1.0 for GitHub code scanning. Each rule carries `helpUri`, a default level and a
 * `security-severity`; each result carries a `partialFingerprints` entry built from the rule,
 * file, object and key path, so two findings of one rule in one file stay distinct and an
 * alert survives lines moving. GitHub keeps at most 5,000 results per run (most severe first)
 * and rejects more than 25,000; we keep the 5,000 most severe and say so in the run.
 */
import type { ScanResult } from '../engine.ts';
import type { Finding } from '../finding.ts';
import type { RuleMeta } from '../rule.ts';
import type { Severity } from '../severity.ts';
import { bySeverityThenLocation, helpUri, TOOL_NAME, TOOL_VERSION } from './meta.ts';

export const SARIF_RESULT_LIMIT = 5_000;
/** GitHub displays 10 tags per rule and rejects more than 20. */
const TAG_LIMIT = 10;

type SarifLevel = 'error' | 'warning' | 'note';

export function sarifLevel(severity: Severity): SarifLevel {
  if (severity === 'critical' || severity === 'high') return 'error';
  return severity === 'medium' ? 'warning' : 'note';
}

/** GitHub's scale: > 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

function sarifRule(meta: RuleMeta): Record<string, unknown> {
  return {
    id: meta.id,
    name: meta.title.replace(/[^A-Za-z0-9]+(.)?/g, (_match, next: string | undefined) =>
      next === undefined ? '' : next.toUpperCase(),
    ),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.message },
    help: {
      text: `${meta.message} Fix: ${meta.fix}`,
      markdown: `${meta.message}\n\n**Fix:** ${meta.fix}\n\nInvariants: ${
        meta.invariants.join(', ') || 'none'
      }`,
    },
    helpUri: helpUri(meta.docsAnchor),
    defaultConfiguration: { level: sarifLevel(meta.severity) },
    properties: {
      tags: ['security', 'workload-identity', ...meta.invariants].slice(0, TAG_LIMIT),
      precision: 'high',
      'security-severity': SECURITY_SEVERITY[meta.severity],
    },
  };
}

function sarifResult(finding: Finding, ruleIndex: number): Record<string, unknown> {
  const result: Record<string, unknown> = {
    ruleId: finding.ruleId,
    ruleIndex,
    level: sarifLevel(finding.severity),
    message: { text: `${finding.message} Fix: ${finding.fix}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(finding.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: finding.line, startColumn: finding.column },
        },
        ...(finding.object === null
          ? {}
          : {
              logicalLocations: [
                {
                  name: finding.object.name,
                  fullyQualifiedName: [
                    finding.object.namespace,
                    finding.object.kind,
                    finding.object.name,
                  ]
                    .filter((part) => part !== null && part !== '')
                    .join('/'),
                  kind: 'object',
                },
              ],
            }),
      },
    ],
    partialFingerprints: { 'wifFinding/v1': finding.fingerprint },
    properties: { 'security-severity': SECURITY_SEVERITY[finding.severity] },
  };
  if (finding.suppression !== null) {
    result['suppressions'] = [
      {
        kind:
          finding.suppression.by === 'annotation' || finding.suppression.by === 'comment'
            ? 'inSource'
            : 'external',
        status: 'accepted',
        justification: finding.suppression.reason,
      },
    ];
  }
  return result;
}

export function renderSarif(result: ScanResult): string {
  const rules = result.rules;
  const ruleIndex = new Map(rules.map((meta, index) => [meta.id, index]));
  const ordered = [...result.findings].sort((a, b) => {
    const suppressed = Number(a.suppression !== null) - Number(b.suppression !== null);
    return suppressed !== 0 ? suppressed : bySeverityThenLocation(a, b);
  });
  const kept = ordered.slice(0, SARIF_RESULT_LIMIT);
  const dropped = ordered.length - kept.length;
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            semanticVersion: TOOL_VERSION,
            informationUri: helpUri('').replace(/#$/, ''),
            rules: rules.map(sarifRule),
          },
        },
        automationDetails: { id: 'wif-scan/' },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The scan root.' } } },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: [
              ...result.notes.map((note) => ({
                level: 'note',
                message: { text: `${note.file}: ${note.message}` },
              })),
              ...(dropped > 0
                ? [
                    {
                      level: 'warning',
                      message: {
                        text: `${dropped} less severe results were left out: GitHub keeps ${SARIF_RESULT_LIMIT} per run.`,
                      },
                    },
                  ]
                : []),
            ],
          },
        ],
        results: kept.map((finding) => sarifResult(finding, ruleIndex.get(finding.ruleId) ?? 0)),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
