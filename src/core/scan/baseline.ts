/**
 * The baseline: fingerprints of findings accepted when a repository adopts the scanner, so the
 * gate fails only on new ones. `--write-baseline F` records the current unsuppressed findings;
 * `--baseline F` suppresses exactly those fingerprints (reason: the baseline and its date).
 */
import { WifError } from '../errors.ts';
import { isObject } from './document.ts';
import type { Finding } from './finding.ts';

export interface BaselineEntry {
  readonly fingerprint: string;
  readonly ruleId: string;
  readonly file: string;
}

export interface Baseline {
  readonly version: 1;
  /** `YYYY-MM-DD` the baseline was written. */
  readonly created: string;
  readonly findings: readonly BaselineEntry[];
}

export function createBaseline(findings: readonly Finding[], today: string): Baseline {
  const entries = findings
    .filter((finding) => finding.suppression === null)
    .map(({ fingerprint, ruleId, file }) => ({ fingerprint, ruleId, file }));
  return { version: 1, created: today, findings: entries };
}

export function serializeBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

export function parseBaseline(text: string, file: string): Baseline {
  const invalid = (why: string): WifError =>
    new WifError('usage', `Baseline ${file} is not a wif baseline: ${why}.`, {
      fix: 'Regenerate it with `wif scan --write-baseline <file>`.',
    });
  let raw: unknown;
  try {
    raw = JSON.parse(text) as unknown;
  } catch {
    throw invalid('it is not JSON');
  }
  if (!isObject(raw) || raw['version'] !== 1) throw invalid('version must be 1');
  const created = raw['created'];
  const findings = raw['findings'];
  if (typeof created !== 'string') throw invalid('created is missing');
  if (!Array.isArray(findings)) throw invalid('findings must be a list');
  const entries = (findings as readonly unknown[]).map((entry, index): BaselineEntry => {
    if (
      !isObject(entry) ||
      typeof entry['fingerprint'] !== 'string' ||
      typeof entry['ruleId'] !== 'string' ||
      typeof entry['file'] !== 'string'
    ) {
      throw invalid(`findings[${index}] needs fingerprint, ruleId and file`);
    }
    return { fingerprint: entry['fingerprint'], ruleId: entry['ruleId'], file: entry['file'] };
  });
  return { version: 1, created, findings: entries };
}
