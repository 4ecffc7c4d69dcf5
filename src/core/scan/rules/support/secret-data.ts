/**
 * Reads the values of a Secret or ConfigMap as text. Secret `data` is base64 (the API's wire
 * form), so it is decoded before anyone looks for credentials in it; `stringData` and ConfigMap
 * `data` are plain text already.
 */
import { entriesOf, getAt, memoize } from '../../document.ts';
import type { DocPath, K8sDocument } from '../../document.ts';

export interface DataEntry {
  /** Path to the key (`['data', 'password']`), so the finding points at it. */
  readonly path: DocPath;
  readonly key: string;
  /** The value as text: decoded for Secret `data`, as written otherwise. */
  readonly text: string;
}

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/** Decodes base64 text; a value that is not base64 is returned unchanged (a broken manifest). */
export function decodeBase64(value: string): string {
  if (!BASE64.test(value)) return value;
  return Buffer.from(value.replace(/\s+/g, ''), 'base64').toString('utf8');
}

function entries(document: K8sDocument, field: string, decode: boolean): DataEntry[] {
  const found: DataEntry[] = [];
  for (const [key, value] of entriesOf(getAt(document.value, [field]))) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      continue;
    }
    const raw = String(value);
    found.push({ path: [field, key], key, text: decode ? decodeBase64(raw) : raw });
  }
  return found;
}

/** Every value of a Secret (`data` decoded, `stringData`) or a ConfigMap (`data`). */
export const dataEntries: (document: K8sDocument) => readonly DataEntry[] = memoize(
  (document: K8sDocument) =>
    document.classification.k8sKind === 'Secret'
      ? [...entries(document, 'data', true), ...entries(document, 'stringData', false)]
      : entries(document, 'data', false),
);

/** The first entry with one of `keys`, `stringData` winning over `data` as the API merges them. */
export function dataEntry(document: K8sDocument, key: string): DataEntry | undefined {
  const all = dataEntries(document).filter((entry) => entry.key === key);
  return all.find((entry) => entry.path[0] === 'stringData') ?? all[0];
}

/**
 * True for values that carry nothing: empty, or a placeholder that a templating step fills in
 * (`${VAR}`, `{{ .password }}`, `<changeme>`), so an example manifest is not a leak.
 */
export function isPlaceholder(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed === '') return true;
  // Each form opens with `$`, `{` or `<`: one comparison settles almost every real value.
  const first = trimmed.charCodeAt(0);
  if (first !== 0x24 && first !== 0x7b && first !== 0x3c) return false;
  return (
    /^\$\{[^}]*\}$/.test(trimmed) || /^\{\{[^}]*\}\}$/.test(trimmed) || /^<[^>]*>$/.test(trimmed)
  );
}
