/** The report formats `wif scan --format` accepts. */
import type { ScanResult } from '../engine.ts';
import { renderCodeQuality } from './codequality.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderSarif } from './sarif.ts';
import { renderText } from './text.ts';

export const FORMATS = ['text', 'json', 'sarif', 'codequality', 'junit'] as const;
export type ReportFormat = (typeof FORMATS)[number];

export function isReportFormat(value: string): value is ReportFormat {
  return (FORMATS as readonly string[]).includes(value);
}

export function render(
  format: ReportFormat,
  result: ScanResult,
  options: { color: boolean; showSuppressed?: boolean },
): string {
  switch (format) {
    case 'text':
      return renderText(result, options);
    case 'json':
      return renderJson(result);
    case 'sarif':
      return renderSarif(result);
    case 'codequality':
      return renderCodeQuality(result);
    case 'junit':
      return renderJunit(result);
  }
}
