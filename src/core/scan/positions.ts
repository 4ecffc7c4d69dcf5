/**
 * Lazy positions: a rule reports a path, and this module turns it into a line and column. It
 * runs only for documents that have findings, so the scan's hot path stays one fast parse per
 * file. YAML and JSON are re-parsed one document at a time with `yaml`'s node API; HCL is
 * searched in its text with comments masked out.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { DocPath, Position, ScanDocument, SourceFile } from './document.ts';

const START: Position = { line: 1, column: 1 };

interface Slice {
  readonly start: number;
  readonly end: number;
}

const MARKER = /^(---|\.\.\.)(?=[ \t]|$)/;

function hasContent(text: string): boolean {
  return text
    .split('\n')
    .some((line) => !/^\s*(#.*)?$/.test(line) && !line.startsWith('%') && !MARKER.test(line));
}

/**
 * Splits a YAML stream at document markers (`---`, `...` at column 0, which YAML forbids inside
 * any scalar) the way a loader counts documents: a segment opened by `---` is a document even
 * when empty; any other segment is one only when it holds content.
 */
export function splitYamlDocuments(text: string): readonly Slice[] {
  const slices: Slice[] = [];
  let segmentStart = 0;
  let explicit = false;
  const close = (end: number): void => {
    if (explicit || hasContent(text.slice(segmentStart, end))) {
      slices.push({ start: segmentStart, end });
    }
  };
  let offset = 0;
  while (offset <= text.length) {
    const newline = text.indexOf('\n', offset);
    const lineEnd = newline === -1 ? text.length : newline;
    const marker = MARKER.exec(text.slice(offset, Math.min(lineEnd, offset + 4)));
    if (marker !== null) {
      close(offset);
      segmentStart = offset;
      explicit = marker[1] === '---';
      if (!explicit) {
        // `...` ends a document; what follows is a new, implicit segment.
        segmentStart = lineEnd + 1;
      }
    }
    if (newline === -1) break;
    offset = newline + 1;
  }
  close(text.length);
  return slices;
}

/** Walks `path` through a `yaml` node tree; returns the offset of the deepest key reached. */
function offsetInYaml(document: Document, path: DocPath): number | undefined {
  let node: unknown = document.contents;
  let best: number | undefined = (node as YamlNode | null)?.range?.[0];
  for (const segment of path) {
    let guard = 0;
    while (isAlias(node) && guard < 100) {
      node = node.resolve(document);
      guard += 1;
    }
    if (isMap(node)) {
      const pair = findPair(document, node.items, String(segment));
      if (pair === undefined) return best;
      const keyOffset = (pair.key as YamlNode | null)?.range?.[0];
      if (keyOffset !== undefined) best = keyOffset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      const itemOffset = (item as YamlNode | null)?.range?.[0];
      if (itemOffset === undefined) return best;
      best = itemOffset;
      node = item;
    } else {
      return best;
    }
  }
  return best;
}

interface PairLike {
  readonly key: unknown;
  readonly value: unknown;
}

/** Key → pair per mapping node, so a document with many findings is not searched quadratically. */
const pairIndex = new WeakMap<object, Map<string, PairLike>>();

function directPair(items: readonly PairLike[], key: string): PairLike | undefined {
  let index = pairIndex.get(items);
  if (index === undefined) {
    index = new Map();
    for (const pair of items) {
      if (!isScalar(pair.key)) continue;
      const name = String(pair.key.value);
      if (!index.has(name)) index.set(name, pair);
    }
    pairIndex.set(items, index);
  }
  return index.get(key);
}

/** Finds a key in a mapping, following `<<` merge keys the way the loader applied them. */
function findPair(
  document: Document,
  items: readonly PairLike[],
  key: string,
  depth = 0,
): PairLike | undefined {
  const direct = directPair(items, key);
  if (direct !== undefined && key !== '<<') return direct;
  if (depth > 10) return undefined;
  const merge = directPair(items, '<<');
  if (merge === undefined) return undefined;
  const sources = isSeq(merge.value) ? merge.value.items : [merge.value];
  for (const source of sources) {
    const resolved: unknown = isAlias(source) ? source.resolve(document) : source;
    if (isMap(resolved)) {
      const found = findPair(document, resolved.items, key, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Replaces comments with spaces so a text search never lands in commented-out configuration. */
export function maskHclComments(text: string): string {
  let out = '';
  let i = 0;
  let inString = false;
  while (i < text.length) {
    const char = text[i] ?? '';
    const next = text[i + 1] ?? '';
    if (inString) {
      out += char;
      if (char === '\\') {
        out += next;
        i += 2;
        continue;
      }
      if (char === '"' || char === '\n') inString = false;
      i += 1;
    } else if (char === '"') {
      inString = true;
      out += char;
      i += 1;
    } else if (char === '#' || (char === '/' && next === '/')) {
      while (i < text.length && text[i] !== '\n') {
        out += ' ';
        i += 1;
      }
    } else if (char === '/' && next === '*') {
      while (i < text.length && !(text[i] === '*' && text[i + 1] === '/')) {
        out += text[i] === '\n' ? '\n' : ' ';
        i += 1;
      }
      out += '  ';
      i += 2;
    } else {
      out += char;
      i += 1;
    }
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Finds `path` in text by searching its keys in order, each after the previous one. A key
 * followed by an index `n` (repeated HCL blocks) is the (n+1)-th occurrence when there is one.
 */
export function offsetInText(text: string, path: DocPath): number {
  let cursor = 0;
  let best = 0;
  for (let i = 0; i < path.length; i += 1) {
    const segment = path[i];
    if (typeof segment !== 'string' || segment === '') continue;
    const escaped = escapeRegExp(segment);
    const pattern = new RegExp(`"${escaped}"|(?<![\\w"./:-])${escaped}(?![\\w"./:-])`, 'g');
    pattern.lastIndex = cursor;
    let match = pattern.exec(text);
    if (match === null) continue;
    const next = path[i + 1];
    if (typeof next === 'number') {
      for (let skip = 0; skip < next; skip += 1) {
        const later = pattern.exec(text);
        if (later === null) break;
        match = later;
      }
    }
    best = match.index;
    cursor = match.index + match[0].length;
  }
  return best;
}

function lineStartsOf(text: string): readonly number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
    starts.push(index + 1);
  }
  return starts;
}

function positionAt(lineStarts: readonly number[], offset: number): Position {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((lineStarts[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
}

/**
 * Resolves paths for the documents of one source file. Create one per file that has findings;
 * it parses each document it is asked about once.
 */
export class PositionResolver {
  readonly #source: SourceFile;
  readonly #documentCount: number;
  #slices: readonly Slice[] | null | undefined;
  readonly #parsed = new Map<number, { document: Document; base: number }>();
  #masked: string | undefined;
  #lineStarts: readonly number[] | undefined;

  constructor(source: SourceFile, documentCount: number) {
    this.#source = source;
    this.#documentCount = documentCount;
  }

  resolve(document: Pick<ScanDocument, 'index'>, path: DocPath): Position {
    const text = this.#source.text;
    this.#lineStarts ??= lineStartsOf(text);
    if (this.#source.format === 'hcl') {
      this.#masked ??= maskHclComments(text);
      return positionAt(this.#lineStarts, offsetInText(this.#masked, path));
    }
    let parsed: { document: Document; base: number } | undefined;
    let offset: number | undefined;
    try {
      parsed = this.#parse(document.index);
      offset = parsed === undefined ? undefined : offsetInYaml(parsed.document, path);
    } catch {
      // Pathological input (e.g. nesting deep enough to exhaust the stack): fall back to text.
      parsed = undefined;
    }
    if (parsed === undefined) return positionAt(this.#lineStarts, offsetInText(text, path));
    return offset === undefined ? START : positionAt(this.#lineStarts, parsed.base + offset);
  }

  #parse(index: number): { document: Document; base: number } | undefined {
    const cached = this.#parsed.get(index);
    if (cached !== undefined) return cached;
    const text = this.#source.text;
    let slice: Slice = { start: 0, end: text.length };
    if (this.#source.format === 'yaml') {
      this.#slices ??= this.#source.documentSlices ?? splitYamlDocuments(text);
      if (
        this.#source.documentSlices === undefined &&
        this.#slices.length !== this.#documentCount
      ) {
        return undefined;
      }
      const found = this.#slices[index];
      if (found === undefined) return undefined;
      slice = found;
    }
    // Aliases are not expanded (no toJS), so a hostile document costs one linear parse.
    const document = parseDocument(text.slice(slice.start, slice.end), {
      keepSourceTokens: false,
      uniqueKeys: false,
    });
    const entry = { document, base: slice.start };
    this.#parsed.set(index, entry);
    return entry;
  }
}
