/**
 * GitLab Code Quality (a Code Climate subset): a JSON array of issues with `description`,
 * `check_name`, `fingerprint`, `severity` (info|minor|major|critical|blocker) and
 * `location.path` + `location.lines.begin`. Suppressed findings are left out: the merge request
 * widget has no notion of an accepted issue.
 */
import type { ScanResult } from '../engine.ts';
import type { Severity } from '../severity.ts';

const CODE_QUALITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: 'blocker',
  high: 'critical',
  medium: 'major',
  low: 'minor',
  info: 'info',
};

export function renderCodeQuality(result: ScanResult): string {
  const issues = result.findings
    .filter((finding) => finding.suppression === null)
    .map((finding) => ({
      type: 'issue',
      description: `${finding.ruleId}: ${finding.message}`,
      check_name: finding.ruleId,
      fingerprint: finding.fingerprint,
      severity: CODE_QUALITY_SEVERITY[finding.severity],
      categories: ['Security'],
      location: { path: finding.file, lines: { begin: finding.line } },
    }));
  return `${JSON.stringify(issues, null, 2)}\n`;
}
