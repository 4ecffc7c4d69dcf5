import { WifError } from '../../errors.ts';

/**
 * The AWS shared config and credentials files as the SDKs read them, not as generic INI: a
 * line is a section header when, its inline comment cut off, it is `[…]`; a value is the rest
 * of its line, trimmed, up to whitespace followed by `;` or `#` (an inline comment); nothing
 * is unquoted or unescaped. The `ini` package writes `"…"` around a value holding `=` and `\;`
 * for `;`, which the SDKs would pass on verbatim (a broken session token or credential_process
 * command), so wif writes its own profile here.
 *
 * A file wif carries over from an earlier step may since have been edited (`aws configure set`
 * adds nested blocks such as `s3 =` with indented keys; people add comments). Re-serialising
 * it would drop comments and flatten nested blocks, so wif splices: only the lines of its own
 * section change, and every other byte — comments, blank lines, nested blocks, other profiles,
 * line endings — stays as it was.
 */

/** Whether a section header, by its text between the brackets (trimmed), is the one edited. */
export type SectionMatch = (header: string) => boolean;

interface Line {
  readonly text: string;
  /** `\n`, `\r\n`, or '' for a last line without one. The SDKs split lines on `\r?\n`. */
  readonly eol: string;
}

/** Lines `[start, end)` of one section: its header and body, without the blank lines after it. */
interface Span {
  readonly start: number;
  readonly end: number;
}

const COMMENT = /(^|\s)[;#]/;

function splitLines(text: string): Line[] {
  const parts = text.split(/(\r?\n)/);
  const lines: Line[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const line = { text: parts[i] ?? '', eol: parts[i + 1] ?? '' };
    if (line.text !== '' || line.eol !== '') lines.push(line);
  }
  return lines;
}

function join(lines: readonly Line[]): string {
  return lines.map((l) => l.text + l.eol).join('');
}

/** What a line holds once its comment is cut off, trimmed. */
function content(line: Line): string {
  return (line.text.split(COMMENT)[0] ?? '').trim();
}

function headerOf(line: Line): string | undefined {
  const text = content(line);
  return text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1).trim() : undefined;
}

/**
 * Every section `matches` picks. A section runs to the next header; comments and blank lines
 * just before that header (or at the end of the file) belong to what follows, not to it.
 */
function spans(lines: readonly Line[], matches: SectionMatch): Span[] {
  const found: Span[] = [];
  for (let start = 0; start < lines.length; start++) {
    const header = headerOf(lines[start] as Line);
    if (header === undefined || !matches(header)) continue;
    let end = start + 1;
    while (end < lines.length && headerOf(lines[end] as Line) === undefined) end++;
    while (end > start + 1 && content(lines[end - 1] as Line) === '') end--;
    found.push({ start, end });
  }
  return found;
}

/** The blank line before a span, which wif writes when it appends a section, goes with it. */
function withBlankBefore(lines: readonly Line[], span: Span): Span {
  const before = lines[span.start - 1];
  return before !== undefined && before.text.trim() === ''
    ? { ...span, start: span.start - 1 }
    : span;
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function sectionLines(
  header: string,
  entries: Readonly<Record<string, string>>,
  eol: string,
): Line[] {
  return [
    `[${header}]`,
    ...Object.entries(entries).map(([key, value]) => entryLine(key, value)),
  ].map((text) => ({ text, eol }));
}

function entryLine(key: string, value: string): string {
  if (!faithful(value))
    throw new WifError(
      'internal',
      `The AWS profile value of ${key} cannot be written to a shared config file as it is.`,
    );
  return `${key} = ${value}`;
}

/** Whether the SDKs read `value` back exactly: one line, no inline comment, no edge whitespace. */
function faithful(value: string): boolean {
  return value !== '' && !/[\r\n]/.test(value) && !COMMENT.test(value) && value.trim() === value;
}

export function hasSection(text: string, matches: SectionMatch): boolean {
  return spans(splitLines(text), matches).length > 0;
}

/**
 * `text` with the section `matches` picks replaced in place by `[header]` and `entries` (in the
 * file's line endings), or appended after a blank line when there is none. A duplicate of the
 * section further on (the SDKs merge duplicates) is removed.
 */
export function withSection(
  text: string,
  matches: SectionMatch,
  header: string,
  entries: Readonly<Record<string, string>>,
): string {
  const lines = splitLines(text);
  const eol = eolOf(text);
  const [first, ...duplicates] = spans(lines, matches);
  const section = sectionLines(header, entries, eol);
  if (first === undefined) {
    if (lines.length === 0) return join(section);
    const last = lines.at(-1) as Line;
    if (last.eol !== '') return join([...lines, { text: '', eol }, ...section]);
    // A file without a last line break keeps that: the section's last line takes it over, and
    // removing the section later gives it back to the line before.
    const appended = section.at(-1) as Line;
    return join([
      ...lines.slice(0, -1),
      { ...last, eol },
      { text: '', eol },
      ...section.slice(0, -1),
      { ...appended, eol: '' },
    ]);
  }
  // The file's missing last line break stays missing.
  const replacedLast = lines[first.end - 1] as Line;
  const lastLine = section.at(-1) as Line;
  const replacement = [
    ...section.slice(0, -1),
    { ...lastLine, eol: replacedLast.eol === '' ? '' : eol },
  ];
  return join(
    cut(
      lines,
      duplicates.map((span) => withBlankBefore(lines, span)),
      { span: first, replacement },
    ),
  );
}

/** `text` without the section `matches` picks (nor the blank line before it); the rest unchanged. */
export function withoutSection(text: string, matches: SectionMatch): string {
  const lines = splitLines(text);
  const kept = cut(
    lines,
    spans(lines, matches).map((span) => withBlankBefore(lines, span)),
  );
  // The file's missing last line break stays missing when its last section goes.
  const last = kept.at(-1);
  if (last !== undefined && lines.at(-1)?.eol === '' && kept.length < lines.length) {
    kept[kept.length - 1] = { ...last, eol: '' };
  }
  return join(kept);
}

function cut(
  lines: readonly Line[],
  removed: readonly Span[],
  replaced?: { readonly span: Span; readonly replacement: readonly Line[] },
): Line[] {
  const out: Line[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (replaced !== undefined && i === replaced.span.start) {
      out.push(...replaced.replacement);
      i = replaced.span.end - 1;
      continue;
    }
    const span = removed.find((s) => i >= s.start && i < s.end);
    if (span !== undefined) {
      i = span.end - 1;
      continue;
    }
    out.push(lines[i] as Line);
  }
  return out;
}
