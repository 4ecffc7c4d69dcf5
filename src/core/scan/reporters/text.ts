/**
 * The human report: findings grouped by file, one line each (`line:column severity rule
 * message`) with the fix below, then notes and one summary line that always states the
 * suppressed count. Colour only when writing to a terminal.
 */
import type { ScanResult } from '../engine.ts';
import { summarize } from '../engine.ts';
import type { Finding } from '../finding.ts';
import { SEVERITIES } from '../severity.ts';
import type { Severity } from '../severity.ts';

export interface TextOptions {
  readonly color: boolean;
  /** Also list suppressed findings (with their justification). */
  readonly showSuppressed?: boolean;
}

const SGR = {
  reset: 0,
  bold: 1,
  dim: 2,
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
};

const SEVERITY_COLOR: Readonly<Record<Severity, number>> = {
  critical: SGR.magenta,
  high: SGR.red,
  medium: SGR.yellow,
  low: SGR.blue,
  info: SGR.cyan,
};

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function renderText(result: ScanResult, options: TextOptions): string {
  const paint = (code: number, text: string): string =>
    options.color ? `\u001b[${code}m${text}\u001b[${SGR.reset}m` : text;
  const shown = result.findings.filter(
    (finding) => finding.suppression === null || options.showSuppressed === true,
  );
  const byFile = new Map<string, Finding[]>();
  for (const finding of shown) {
    const list = byFile.get(finding.file) ?? [];
    list.push(finding);
    byFile.set(finding.file, list);
  }
  const lines: string[] = [];
  for (const [file, findings] of byFile) {
    lines.push(paint(SGR.bold, file));
    for (const finding of findings) {
      const where = `${finding.line}:${finding.column}`.padEnd(8);
      const severity = paint(SEVERITY_COLOR[finding.severity], finding.severity.padEnd(9));
      const object =
        finding.object === null
          ? ''
          : ` [${finding.object.kind} ${
              finding.object.namespace === null ? '' : `${finding.object.namespace}/`
            }${finding.object.name}]`;
      const suppressed =
        finding.suppression === null
          ? ''
          : paint(
              SGR.dim,
              ` (suppressed by ${finding.suppression.by}: ${finding.suppression.reason})`,
            );
      lines.push(
        `  ${where}${severity}${paint(SGR.bold, finding.ruleId.padEnd(12))} ${finding.message}${object}${suppressed}`,
      );
      if (finding.suppression === null) lines.push(paint(SGR.dim, `          fix: ${finding.fix}`));
    }
    lines.push('');
  }
  for (const note of result.notes)
    lines.push(paint(SGR.dim, `note: ${note.file}: ${note.message}`));
  if (result.notes.length > 0) lines.push('');

  const summary = summarize(result);
  const counts = SEVERITIES.filter((severity) => summary.bySeverity[severity] > 0)
    .map((severity) =>
      paint(SEVERITY_COLOR[severity], `${summary.bySeverity[severity]} ${severity}`),
    )
    .join(', ');
  const scope = `${plural(summary.files, 'file')}, ${plural(summary.documents, 'document')}`;
  const suppressed = `${summary.suppressed} suppressed`;
  lines.push(
    summary.findings === 0
      ? `${paint(SGR.green, '✔')} no findings in ${scope}; ${suppressed}`
      : `${paint(SGR.red, '✖')} ${plural(summary.findings, 'finding')} (${counts}) in ${scope}; ${suppressed}`,
  );
  return `${lines.join('\n')}\n`;
}
