/**
 * A Markdown summary of a scan for a job summary or a pull-request comment: verdict, counts by
 * severity, the suppressed count, and the most severe findings as a table. The hidden marker
 * lets a comment be found and updated in place on the next run.
 */
import type { ScanResult } from '../engine.ts';
import { summarize } from '../engine.ts';
import type { FailOn } from '../gate.ts';
import { gateExitCode } from '../gate.ts';
import { SEVERITIES } from '../severity.ts';
import { bySeverityThenLocation, helpUri } from './meta.ts';

export const SCAN_COMMENT_MARKER = '<!-- wif-scan -->';

function escapeCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/\r?\n/g, ' ');
}

export interface MarkdownOptions {
  readonly failOn: FailOn;
  /** Findings listed in the table; the rest are counted. */
  readonly maxRows?: number;
  /** Links `file:line` to this base (e.g. `https://github.com/o/r/blob/<sha>`). */
  readonly fileUrlBase?: string;
}

export function renderScanSummaryMarkdown(result: ScanResult, options: MarkdownOptions): string {
  const summary = summarize(result);
  const failed = gateExitCode(result.findings, options.failOn) === 1;
  const verdict = failed
    ? `❌ **wif scan failed**: findings at or above \`${options.failOn}\``
    : summary.findings === 0
      ? '✅ **wif scan passed**: no findings'
      : `✅ **wif scan passed**: no findings at or above \`${options.failOn}\``;
  const counts = SEVERITIES.map((severity) => `${severity}: ${summary.bySeverity[severity]}`).join(
    ' · ',
  );
  const lines = [
    SCAN_COMMENT_MARKER,
    verdict,
    '',
    `${summary.files} files, ${summary.documents} documents · ${counts} · **${summary.suppressed} suppressed**`,
  ];
  const open = result.findings
    .filter((finding) => finding.suppression === null)
    .sort(bySeverityThenLocation);
  const maxRows = options.maxRows ?? 50;
  if (open.length > 0) {
    lines.push('', '| Severity | Rule | Location | Finding |', '|---|---|---|---|');
    for (const finding of open.slice(0, maxRows)) {
      const location = `${finding.file}:${finding.line}`;
      const linked =
        options.fileUrlBase === undefined
          ? `\`${escapeCell(location)}\``
          : `[\`${escapeCell(location)}\`](${options.fileUrlBase}/${encodeURI(finding.file)}#L${finding.line})`;
      lines.push(
        `| ${finding.severity} | [${finding.ruleId}](${helpUri(finding.docsAnchor)}) | ${linked} | ${escapeCell(finding.message)} |`,
      );
    }
    if (open.length > maxRows)
      lines.push('', `…and ${open.length - maxRows} more; see the SARIF or JSON report.`);
  }
  return `${lines.join('\n')}\n`;
}
