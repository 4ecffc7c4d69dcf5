import type { ConditionTrace } from './decision.ts';
import type { Explanation } from './explain.ts';

/**
 * Three renderings of the same explanations: terminal text, Markdown for a job summary, and
 * JSON for machines. None of them ever contains the raw token, only claims.
 */

export function renderExplanationText(results: readonly Explanation[]): string {
  const lines: string[] = [];
  for (const result of results) {
    const verdict = result.decision.accepted ? 'ACCEPTED' : 'DENIED';
    lines.push(`${verdict}  ${result.label}  (${result.source})`);
    if (result.refusal !== undefined) lines.push(`  service answer: ${result.refusal}`);
    let subject: string | undefined;
    for (const line of result.decision.trace) {
      if (line.subject !== subject) {
        subject = line.subject;
        lines.push(`  ${subject}`);
      }
      lines.push(`    ${traceLine(line)}`);
    }
    if (result.decision.hint !== undefined) lines.push(`  hint: ${result.decision.hint}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** `✗ <claim> <operator> <expected> (actual: <actual>)`, with a note when there is one. */
export function traceLine(line: ConditionTrace): string {
  const mark = line.passed ? '✓' : '✗';
  const note = line.note === undefined ? '' : ` — ${line.note}`;
  return `${mark} ${line.claim} ${line.operator} ${line.expected} (actual: ${line.actual})${note}`;
}

export function renderExplanationMarkdown(results: readonly Explanation[]): string {
  const out: string[] = ['## wif explain', ''];
  for (const result of results) {
    const verdict = result.decision.accepted ? '✅ accepted' : '❌ denied';
    out.push(
      `### ${escapeInline(result.label)}: ${verdict}`,
      '',
      `Source: \`${code(result.source)}\``,
      '',
    );
    if (result.refusal !== undefined) out.push(`Service answer: \`${code(result.refusal)}\``, '');
    if (result.decision.trace.length > 0) {
      out.push('| | Where | Claim | Operator | Expected | Actual |', '|---|---|---|---|---|---|');
      for (const line of result.decision.trace) {
        const note = line.note === undefined ? '' : ` _(${cell(line.note)})_`;
        out.push(
          `| ${line.passed ? '✓' : '✗'} | ${cell(line.subject)} | \`${cellCode(line.claim)}\` | ${cell(line.operator)} | \`${cellCode(line.expected)}\` | \`${cellCode(line.actual)}\`${note} |`,
        );
      }
      out.push('');
    }
    if (result.decision.hint !== undefined)
      out.push(`> **Hint:** ${escapeInline(result.decision.hint)}`, '');
  }
  return out.join('\n');
}

export interface ExplanationJson {
  readonly accepted: boolean;
  readonly results: readonly {
    readonly source: string;
    readonly label: string;
    readonly format: string;
    readonly accepted: boolean;
    readonly refusal?: string;
    readonly hint?: string;
    readonly trace: readonly ConditionTrace[];
  }[];
}

export function explanationJson(results: readonly Explanation[]): ExplanationJson {
  return {
    accepted: results.every((r) => r.decision.accepted),
    results: results.map((r) => ({
      source: r.source,
      label: r.label,
      format: r.decision.format,
      accepted: r.decision.accepted,
      ...(r.refusal === undefined ? {} : { refusal: r.refusal }),
      ...(r.decision.hint === undefined ? {} : { hint: r.decision.hint }),
      trace: r.decision.trace,
    })),
  };
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Inside a code span a pipe still splits a GFM table cell, and backticks would end the span. */
function cellCode(text: string): string {
  return cell(code(text));
}

function code(text: string): string {
  return text.replace(/`/g, "'");
}

function escapeInline(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/</g, '&lt;');
}
