/**
 * The loader: inputs → source files → parsed, classified documents. Files that cannot be
 * scanned (binary, oversized, unreadable) become notes; files that do not parse become parse
 * failures with a location, which the engine reports as findings. Nothing here throws for bad
 * content; only a missing input (a usage error) does.
 */
import { readFileSync, statSync } from 'node:fs';
import { classify } from '../classify.ts';
import { entriesOf, getAt, isObject } from '../document.ts';
import type { EmbeddedDocument, ScanDocument, SourceFile, SourceFormat } from '../document.ts';
import { expandInputs } from './inputs.ts';
import type { ExpandOptions } from './inputs.ts';
import { splitYamlDocuments } from '../positions.ts';
import { formatFor, parseHcl, parseJson, parseYaml } from './parse.ts';
import type { ParseFailure } from './parse.ts';

export { formatFor } from './parse.ts';

/** Files larger than this are skipped with a note; configuration is never this large. */
export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;

export interface ScanNote {
  readonly file: string;
  readonly message: string;
}

export interface FileParseError extends ParseFailure {
  readonly source: SourceFile;
}

/** Text that did not come from a file on disk: stdin, or a chart rendered by helm. */
export interface VirtualSource {
  readonly path: string;
  readonly text: string;
  readonly format?: SourceFormat;
}

export interface LoadOptions extends ExpandOptions {
  readonly readStdin?: () => Promise<string>;
  readonly maxFileBytes?: number;
  readonly extraSources?: readonly VirtualSource[];
}

export interface LoadResult {
  readonly files: number;
  readonly documents: readonly ScanDocument[];
  readonly parseErrors: readonly FileParseError[];
  readonly notes: readonly ScanNote[];
}

/** NUL bytes do not occur in text configuration; their presence marks a binary file. */
function looksBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

/**
 * The items of a Kubernetes list, or undefined when `value` is not one. `kubectl get -o yaml`
 * prints `kind: List` whatever it fetched; the API (`kubectl get --raw`, client dumps) answers
 * with typed lists such as `SecretList`, whose items carry no `apiVersion` or `kind`. A string
 * test on `kind` comes first: this runs for every document of a scan.
 */
function listItems(value: unknown): readonly unknown[] | undefined {
  if (!isObject(value)) return undefined;
  const kind = value['kind'];
  if (typeof kind !== 'string' || !kind.endsWith('List')) return undefined;
  const items = value['items'];
  const apiVersion = value['apiVersion'];
  if (!Array.isArray(items) || typeof apiVersion !== 'string') return undefined;
  if (kind === 'List') return items as readonly unknown[];
  // A typed list names its items' kind and version once, for all of them.
  const itemKind = kind.slice(0, -'List'.length);
  return (items as readonly unknown[]).map((item) =>
    isObject(item) && item['kind'] === undefined && item['apiVersion'] === undefined
      ? { apiVersion, kind: itemKind, ...item }
      : item,
  );
}

function toDocuments(
  source: SourceFile,
  values: readonly unknown[],
  indices?: readonly number[],
): ScanDocument[] {
  const documents: ScanDocument[] = [];
  // Indexed loops: this runs once per document of a scan, before the JIT has warmed up, where
  // a callback per document costs more than the classification it wraps.
  for (let position = 0; position < values.length; position += 1) {
    const value = values[position];
    const index = indices?.[position] ?? position;
    const items = source.format === 'hcl' ? undefined : listItems(value);
    // An empty list stays a document of its own, so the file's documents still count right.
    if (items === undefined || items.length === 0) {
      documents.push({
        source,
        file: source.path,
        format: source.format,
        index,
        value,
        classification: classify(source.path, source.format, value),
      });
      continue;
    }
    for (let listItem = 0; listItem < items.length; listItem += 1) {
      const item = items[listItem];
      documents.push({
        source,
        file: source.path,
        format: source.format,
        index,
        listItem,
        value: item,
        classification: classify(source.path, source.format, item),
      });
    }
  }
  return documents;
}

/**
 * A YAML stream with one broken document: parse its documents one by one, so the others are
 * still checked and the error points into the broken one.
 */
function parseYamlByDocument(source: SourceFile): {
  documents: ScanDocument[];
  errors: FileParseError[];
} {
  const slices = splitYamlDocuments(source.text);
  const split: SourceFile = { ...source, documentSlices: slices };
  const values: unknown[] = [];
  const indices: number[] = [];
  const errors: FileParseError[] = [];
  slices.forEach((slice, index) => {
    const outcome = parseYaml(source.text.slice(slice.start, slice.end));
    if (outcome.ok) {
      // A slice is one document; an empty one parses to nothing and is null, as in the stream.
      values.push(outcome.values.length === 0 ? null : outcome.values[0]);
      indices.push(index);
    } else {
      const lineOffset = source.text.slice(0, slice.start).split('\n').length - 1;
      errors.push({
        ...outcome.error,
        line: outcome.error.line + lineOffset,
        message: `${outcome.error.message}; this document was not checked`,
        source: split,
      });
    }
  });
  return { documents: toDocuments(split, values, indices), errors };
}

/** ConfigMap keys that may hold a configuration file the rules read (a SPIRE `server.conf`). */
const EMBEDDED_KEY = /\.(?:conf|hcl|json)$/i;

/**
 * The `data` entries of a ConfigMap that may be a SPIRE server or agent configuration. A string
 * test comes first, so the dashboards and application JSON most ConfigMaps hold are never
 * parsed, and every other document costs one comparison.
 */
function embeddedCandidates(document: ScanDocument): readonly (readonly [string, string])[] {
  const classification = document.classification;
  if (classification.kind !== 'k8s' || classification.k8sKind !== 'ConfigMap') return [];
  return entriesOf(getAt(document.value, ['data'])).filter(
    (entry): entry is readonly [string, string] =>
      typeof entry[1] === 'string' &&
      EMBEDDED_KEY.test(entry[0]) &&
      entry[1].includes('trust_domain'),
  );
}

/**
 * The documents, with the SPIRE configurations their ConfigMaps carry attached: HCL, or JSON as
 * the hardened Helm chart renders it. Text that does not parse is left to the ConfigMap's own
 * rules. Synchronous unless there is something to parse: a scan reads thousands of documents.
 */
function withEmbedded(documents: ScanDocument[]): ScanDocument[] | Promise<ScanDocument[]> {
  if (!documents.some((document) => embeddedCandidates(document).length > 0)) return documents;
  return (async () => {
    for (let index = 0; index < documents.length; index += 1) {
      const document = documents[index] as ScanDocument;
      const embedded: EmbeddedDocument[] = [];
      for (const [key, text] of embeddedCandidates(document)) {
        const outcome = text.trimStart().startsWith('{')
          ? parseJson(text)
          : await parseHcl(`${document.file}#${key}`, text);
        const value = outcome.ok ? outcome.values[0] : undefined;
        if (!isObject(value)) continue;
        // Classified as the HCL file it would be on disk, whichever syntax it is written in.
        const classification = classify(key, 'hcl', value);
        if (classification.kind === 'spire-config') {
          embedded.push({ path: ['data', key], value, classification });
        }
      }
      if (embedded.length > 0) documents[index] = { ...document, embedded };
    }
    return documents;
  })();
}

export async function parseSource(
  source: SourceFile,
): Promise<{ documents: ScanDocument[]; errors: FileParseError[] }> {
  const outcome =
    source.format === 'yaml'
      ? parseYaml(source.text)
      : source.format === 'json'
        ? parseJson(source.text)
        : await parseHcl(source.path, source.text);
  if (outcome.ok) {
    const documents = withEmbedded(toDocuments(source, outcome.values));
    return { documents: Array.isArray(documents) ? documents : await documents, errors: [] };
  }
  if (source.format === 'yaml') {
    const split = parseYamlByDocument(source);
    const documents = withEmbedded(split.documents);
    return {
      documents: Array.isArray(documents) ? documents : await documents,
      errors: split.errors,
    };
  }
  return { documents: [], errors: [{ ...outcome.error, source }] };
}

export async function loadSources(options: LoadOptions): Promise<LoadResult> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const expanded = await expandInputs(options);
  const notes: ScanNote[] = [...expanded.notes];
  const sources: SourceFile[] = [];
  // Synchronous reads: a scan reads many small local files one after another, and an await per
  // file costs more in scheduling than the read itself on a busy runner.
  for (const file of expanded.files) {
    let bytes: Buffer;
    try {
      const size = statSync(file.absolute).size;
      if (size > maxBytes) {
        notes.push({
          file: file.relative,
          message: `skipped: ${size} bytes is over the ${maxBytes}-byte limit.`,
        });
        continue;
      }
      bytes = readFileSync(file.absolute);
    } catch {
      notes.push({ file: file.relative, message: 'skipped: the file could not be read.' });
      continue;
    }
    if (looksBinary(bytes)) {
      notes.push({ file: file.relative, message: 'skipped: binary file.' });
      continue;
    }
    const text = bytes.toString('utf8');
    sources.push({ path: file.relative, format: formatFor(file.relative, text), text });
  }
  if (expanded.stdin) {
    if (options.readStdin === undefined) {
      notes.push({ file: '<stdin>', message: 'skipped: standard input is not available.' });
    } else {
      const text = await options.readStdin();
      sources.push({ path: '<stdin>', format: formatFor('<stdin>', text), text });
    }
  }
  for (const extra of options.extraSources ?? []) {
    sources.push({
      path: extra.path,
      format: extra.format ?? formatFor(extra.path, extra.text),
      text: extra.text,
    });
  }

  const documents: ScanDocument[] = [];
  const parseErrors: FileParseError[] = [];
  for (const source of sources) {
    const { documents: parsed, errors } = await parseSource(source);
    documents.push(...parsed);
    const [first] = errors;
    if (
      first !== undefined &&
      source.format === 'hcl' &&
      source.path.toLowerCase().endsWith('.conf')
    ) {
      // `.conf` is found by directory walks but is often not HCL (nginx, supervisord, …).
      notes.push({ file: source.path, message: `skipped: not HCL (${first.message}).` });
    } else {
      parseErrors.push(...errors);
    }
  }
  return { files: sources.length, documents, parseErrors, notes };
}
