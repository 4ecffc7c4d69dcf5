/**
 * The JSON report, a public contract documented in docs/scan-json.md. `findings` lists every
 * finding, suppressed ones included (`suppressed: true`); `summary.findings` counts only the
 * unsuppressed ones. New keys may be added; existing keys keep their meaning while
 * `version` is 1.
 */
import type { ScanResult } from '../engine.ts';
import { summarize } from '../engine.ts';

export function renderJson(result: ScanResult): string {
  const report = {
    version: 1,
    findings: result.findings.map((finding) => ({
      ruleId: finding.ruleId,
      invariant: finding.invariants,
      severity: finding.severity,
      message: finding.message,
      file: finding.file,
      line: finding.line,
      column: finding.column,
      object: finding.object,
      fingerprint: finding.fingerprint,
      suppressed: finding.suppression !== null,
      suppression: finding.suppression,
      title: finding.title,
      fix: finding.fix,
    })),
    summary: summarize(result),
    notes: result.notes,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
