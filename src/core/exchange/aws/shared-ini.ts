import { WifError } from '../../errors.ts';

/**
 * The AWS shared config and credentials files as the SDKs read them, not as generic INI: a
 * value is the rest of its line, trimmed, up to whitespace followed by `;` or `#` (an inline
 * comment); nothing is unquoted or unescaped. The `ini` package writes `"…"` around a value
 * holding `=` and `\;` for `;`, which the SDKs would pass on verbatim (a broken session token
 * or credential_process command), so wif writes and reads its own profile files here.
 */
export type Sections = Record<string, Record<string, string>>;

const COMMENT = /(^|\s)[;#]/;

export function parseSharedIni(text: string): Sections {
  const sections: Sections = {};
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = (raw.split(COMMENT)[0] ?? '').trim();
    if (line.startsWith('[') && line.endsWith(']')) {
      const name = line.slice(1, -1).trim();
      current = sections[name] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (current === undefined || eq <= 0) continue;
    const value = line.slice(eq + 1).trim();
    // A key with no value opens a nested block (`s3 =`), which wif never writes.
    if (value !== '') current[line.slice(0, eq).trim()] = value;
  }
  return sections;
}

export function stringifySharedIni(sections: Sections): string {
  const blocks = Object.entries(sections).map(([name, entries]) => {
    const lines = Object.entries(entries).map(([key, value]) => {
      if (!faithful(value))
        throw new WifError(
          'internal',
          `The AWS profile value of ${key} cannot be written to a shared config file as it is.`,
        );
      return `${key} = ${value}`;
    });
    return [`[${name}]`, ...lines].join('\n');
  });
  return blocks.length === 0 ? '' : `${blocks.join('\n\n')}\n`;
}

/** Whether the SDKs read `value` back exactly: one line, no inline comment, no edge whitespace. */
function faithful(value: string): boolean {
  return value !== '' && !/[\r\n]/.test(value) && !COMMENT.test(value) && value.trim() === value;
}
