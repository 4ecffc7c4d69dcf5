/** Facts every reporter shares: the tool's identity and where rule documentation lives. */
import type { Finding } from '../finding.ts';
import { severityRank } from '../severity.ts';

export const TOOL_NAME = 'wif';
export const TOOL_VERSION = '0.1.0';
/** docs/rules.md as published; rule anchors are appended (`#k8s-01`). */
export const RULE_DOCS_URL = 'https://github.com/wif-dev/wif/blob/main/docs/rules.md';

export function helpUri(docsAnchor: string): string {
  return `${RULE_DOCS_URL}#${docsAnchor}`;
}

/** Most severe first, then by file and line: the order in which limits keep findings. */
export function bySeverityThenLocation(a: Finding, b: Finding): number {
  const rank = severityRank(a.severity) - severityRank(b.severity);
  if (rank !== 0) return rank;
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column;
}
