/**
 * Suppressions, all of which carry a justification:
 *  - Kubernetes annotation `wif.dev/ignore: "<rule or INV-n>: <why>[; until=YYYY-MM-DD]"`
 *    (one entry per line);
 *  - inline comment `# wif:ignore <rule or INV-n> <why> [until=YYYY-MM-DD]` (`//` in HCL) on the
 *    finding's line, on the line above it, or above the document or HCL block it belongs to;
 *  - `.wif.yaml` `ignore:` entries scoped by path globs;
 *  - a baseline file of fingerprints.
 * A suppression past its `until` date no longer applies; the finding comes back, marked expired.
 */
import path from 'node:path';
import type { ConfigIgnore } from './config.ts';
import type { SourceFormat } from './document.ts';
import type { Suppression } from './finding.ts';
import type { Invariant } from './rule.ts';

export const IGNORE_ANNOTATION = 'wif.dev/ignore';

export interface SuppressionEntry extends Suppression {
  /** A rule id or an invariant (`INV-2`), upper case. */
  readonly target: string;
}

export type ParsedEntry =
  | { readonly ok: true; readonly entry: SuppressionEntry }
  | { readonly ok: false; readonly reason: string };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

function splitUntil(text: string): { why: string; until: string | null; bad: boolean } {
  const match = /[;\s]\s*until\s*=\s*(\S+)\s*$/.exec(text);
  if (match === null) return { why: text.trim(), until: null, bad: false };
  const until = match[1] ?? '';
  return { why: text.slice(0, match.index).trim(), until, bad: !validDate(until) };
}

/** Parses one annotation line: `<rule or INV>: <why>[; until=YYYY-MM-DD]`. */
export function parseAnnotationEntry(line: string, by: Suppression['by']): ParsedEntry {
  const colon = line.indexOf(':');
  if (colon <= 0) return { ok: false, reason: `"${line.trim()}" has no "<rule>: <why>" form` };
  const target = line.slice(0, colon).trim().toUpperCase();
  const { why, until, bad } = splitUntil(line.slice(colon + 1));
  if (bad)
    return { ok: false, reason: `"${line.trim()}" has an until= date that is not YYYY-MM-DD` };
  if (why === '')
    return { ok: false, reason: `the suppression of ${target} gives no justification` };
  return { ok: true, entry: { target, reason: why, until, by } };
}

export function parseAnnotation(value: string): readonly ParsedEntry[] {
  return value
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => parseAnnotationEntry(line, 'annotation'));
}

export interface CommentSuppression {
  /** 1-based line of the comment. */
  readonly line: number;
  /** Lines (inclusive, 1-based) it covers. */
  readonly from: number;
  readonly to: number;
  readonly parsed: ParsedEntry;
}

const COMMENT = /(?:#|\/\/)\s*wif:ignore\b(.*)$/;

/**
 * Finds `wif:ignore` comments. A trailing comment covers its own line; a comment alone on its
 * line covers the next content line and, when that line opens a document (YAML) or a block
 * (HCL, a line ending in `{`), the whole document or block.
 */
export function findCommentSuppressions(
  text: string,
  format: SourceFormat = 'yaml',
): readonly CommentSuppression[] {
  if (!text.includes('wif:ignore')) return [];
  const lines = text.split('\n');
  const found: CommentSuppression[] = [];
  lines.forEach((lineText, index) => {
    const match = COMMENT.exec(lineText);
    if (match === null) return;
    const body = (match[1] ?? '').trim();
    const space = body.search(/\s/);
    const target = (space === -1 ? body : body.slice(0, space)).toUpperCase();
    const rest = space === -1 ? '' : body.slice(space + 1);
    const { why, until, bad } = splitUntil(rest);
    const parsed: ParsedEntry =
      target === ''
        ? { ok: false, reason: 'wif:ignore names no rule' }
        : bad
          ? {
              ok: false,
              reason: `the wif:ignore of ${target} has an until= date that is not YYYY-MM-DD`,
            }
          : why === ''
            ? { ok: false, reason: `the wif:ignore of ${target} gives no justification` }
            : { ok: true, entry: { target, reason: why, until, by: 'comment' } };
    const line = index + 1;
    const standalone = lineText.slice(0, match.index).trim() === '';
    if (!standalone) {
      found.push({ line, from: line, to: line, parsed });
      return;
    }
    let next = index + 1;
    while (next < lines.length && /^\s*(#.*|\/\/.*)?$/.test(lines[next] ?? '')) next += 1;
    const opener = lines[next] ?? '';
    let to = next + 1;
    const isDocumentStart =
      format === 'yaml' &&
      (/^---(\s|$)/.test(opener) || index === 0 || /^---(\s|$)/.test(lines[index - 1] ?? ''));
    if (isDocumentStart) {
      to = next + 1;
      while (to < lines.length && !/^---(\s|$)/.test(lines[to] ?? '')) to += 1;
    } else if (/\{\s*$/.test(opener)) {
      let depth = 0;
      for (to = next; to < lines.length; to += 1) {
        for (const char of lines[to] ?? '') {
          if (char === '{') depth += 1;
          else if (char === '}') depth -= 1;
        }
        if (depth <= 0) break;
      }
      to += 1;
    }
    found.push({ line, from: next + 1, to: Math.max(to, next + 1), parsed });
  });
  return found;
}

export function matchesTarget(
  target: string,
  ruleId: string,
  invariants: readonly Invariant[],
): boolean {
  const upper = target.toUpperCase();
  return upper === ruleId.toUpperCase() || invariants.some((invariant) => invariant === upper);
}

export function isExpired(suppression: Suppression, today: string): boolean {
  return suppression.until !== null && suppression.until < today;
}

export function configIgnoreApplies(ignore: ConfigIgnore, file: string): boolean {
  if (ignore.paths.length === 0) return true;
  return ignore.paths.some((pattern) => path.matchesGlob(file, pattern));
}

/** `YYYY-MM-DD` of a date in UTC. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
