/**
 * Lazy positions: a rule reports a path, and this module turns it into a line and column. It
 * runs only for documents that have findings, so the scan's hot path stays one fast parse per
 * file. A YAML document is re-read alone: the file is cut at its document markers (or, when
 * that count disagrees with the loader's, where js-yaml saw each document's root start), only
 * that document's text goes through js-yaml's event parser (the loader's own, already warm),
 * and the path is walked over the events' offsets. JSON is read the same way (JSON is YAML);
 * HCL is searched in its text with comments masked out.
 */
import { constructFromEvents, EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE } from 'js-yaml';
import type { DocumentEvent, Event, ScalarEvent } from 'js-yaml';
import { sourcePath } from './document.ts';
import type { DocPath, PathSegment, Position, ScanDocument, SourceFile } from './document.ts';
import { MAX_DEPTH, YAML_SCHEMA } from './loader/parse.ts';

const START: Position = { line: 1, column: 1 };

interface Slice {
  readonly start: number;
  readonly end: number;
}

/** A line that is neither blank, a comment, a directive nor a document marker. */
function isContentLine(text: string, start: number, end: number): boolean {
  let first = start;
  while (first < end && /\s/.test(text.charAt(first))) first += 1;
  if (first === end || text.charAt(first) === '#') return false;
  return text.charAt(start) !== '%' && !isMarkerLine(text.slice(start, end), 0);
}

/** Whether `text[start, end)` holds a content line; walks lines in place rather than splitting. */
function hasContent(text: string, start: number, end: number): boolean {
  for (let lineStart = start; lineStart < end;) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 || newline >= end ? end : newline;
    if (isContentLine(text, lineStart, lineEnd)) return true;
    lineStart = lineEnd + 1;
  }
  return false;
}

/** `---` or `...` at `offset`, followed by a space, a tab or the end of the line. */
function isMarkerLine(text: string, offset: number): boolean {
  // startsWith rather than a slice: this runs for every marker of every file with a finding.
  if (!text.startsWith('---', offset) && !text.startsWith('...', offset)) return false;
  const next = text.charCodeAt(offset + 3);
  return Number.isNaN(next) || next === 0x20 || next === 0x09 || next === 0x0a;
}

/** Offsets just after each `\n` + `marker` in `text`, in order. */
function markerOffsets(text: string, marker: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + 1)) {
    found.push(at + 1);
  }
  return found;
}

/** Offsets of the lines that start with `---` or `...`, in order. */
function markerCandidates(text: string): number[] {
  const dashes = markerOffsets(text, '\n---');
  const dots = markerOffsets(text, '\n...');
  // Both lists are in order already: merged, not sorted (most streams have no `...` at all).
  const found: number[] = text.startsWith('---') || text.startsWith('...') ? [0] : [];
  let d = 0;
  let o = 0;
  while (d < dashes.length || o < dots.length) {
    const dash = dashes[d] ?? Number.POSITIVE_INFINITY;
    const dot = dots[o] ?? Number.POSITIVE_INFINITY;
    if (dash < dot) {
      found.push(dash);
      d += 1;
    } else {
      found.push(dot);
      o += 1;
    }
  }
  return found;
}

/**
 * Splits a YAML stream at document markers (`---`, `...` at column 0, which YAML forbids inside
 * any scalar) the way a loader counts documents: a segment opened by `---` is a document even
 * when empty; any other segment is one only when it holds content. Markers are found with
 * `indexOf`, not line by line: this runs for every file with a finding.
 */
export function splitYamlDocuments(text: string): readonly Slice[] {
  const slices: Slice[] = [];
  let segmentStart = 0;
  let explicit = false;
  const close = (end: number): void => {
    if (explicit || hasContent(text, segmentStart, end)) {
      slices.push({ start: segmentStart, end });
    }
  };
  for (const offset of markerCandidates(text)) {
    if (!isMarkerLine(text, offset)) continue;
    close(offset);
    segmentStart = offset;
    explicit = text.startsWith('---', offset);
    if (!explicit) {
      // `...` ends a document; what follows is a new, implicit segment.
      const newline = text.indexOf('\n', offset);
      segmentStart = (newline === -1 ? text.length : newline) + 1;
    }
  }
  close(text.length);
  return slices;
}

/** Where a node starts, the way an editor shows it: a key's first character, a quote, `|`. */
type TreeNode =
  | { readonly kind: 'map'; readonly start: number; readonly pairs: Pair[] }
  | { readonly kind: 'seq'; readonly start: number; readonly items: TreeNode[] }
  | { readonly kind: 'scalar'; readonly start: number; readonly event: ScalarEvent }
  | { readonly kind: 'alias'; readonly start: number; readonly target: TreeNode | undefined };

interface Pair {
  readonly key: TreeNode;
  value: TreeNode | undefined;
}

/** One document of a slice, as a tree of start offsets (relative to the slice). */
interface DocumentTree {
  readonly root: TreeNode | undefined;
  readonly text: string;
  readonly event: DocumentEvent;
}

function propsStart(event: { anchorStart: number; tagStart: number }, start: number): number {
  let first = start;
  for (const offset of [event.anchorStart, event.tagStart]) {
    if (offset >= 0 && (first < 0 || offset < first)) first = offset;
  }
  return first;
}

/**
 * Where each document's root node begins (its anchor or tag included), from a whole stream's
 * events; -1 for an empty document. Exact where splitting at markers is not (a stream the
 * marker count gets wrong), at the price of parsing the whole file again.
 */
function documentStarts(events: readonly Event[]): number[] {
  const starts: number[] = [];
  for (let index = 0; index < events.length; index += 1) {
    if (events[index]?.type !== EVENT_ID.DOCUMENT) continue;
    const root = events[index + 1];
    let start = -1;
    if (root?.type === EVENT_ID.MAPPING || root?.type === EVENT_ID.SEQUENCE) {
      start = propsStart(root, root.start);
    } else if (root?.type === EVENT_ID.SCALAR) {
      start = propsStart(root, root.valueStart);
    } else if (root?.type === EVENT_ID.ALIAS) {
      start = root.anchorStart - 1;
    }
    starts.push(start);
  }
  return starts;
}

const BLOCK_HEADER = /[|>][0-9+-]*[ \t]*(?:#.*)?\r?$/;

/** The offset of a block scalar's `|` or `>`, on the line before its content. */
function blockIndicator(text: string, event: ScalarEvent, floor: number): number {
  const lineEnd = text[event.valueStart - 1] === '\n' ? event.valueStart - 1 : event.valueStart;
  const lineStart = text.lastIndexOf('\n', lineEnd - 1) + 1;
  const from = Math.max(lineStart, floor, event.anchorEnd, event.tagEnd);
  const match = BLOCK_HEADER.exec(text.slice(from, lineEnd));
  return match === null ? event.valueStart : from + match.index;
}

function scalarStart(text: string, event: ScalarEvent, floor: number): number {
  if (event.valueStart < 0) return -1;
  switch (event.style) {
    case SCALAR_STYLE.SINGLE_QUOTED:
    case SCALAR_STYLE.DOUBLE_QUOTED:
      return event.valueStart - 1;
    case SCALAR_STYLE.LITERAL_BLOCK:
    case SCALAR_STYLE.FOLDED_BLOCK:
      return blockIndicator(text, event, floor);
    default:
      return event.valueStart;
  }
}

function scalarEnd(event: ScalarEvent): number {
  const quoted =
    event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED;
  return event.valueEnd + (quoted ? 1 : 0);
}

/**
 * Builds the tree of the first document in `text` from its events. Aliases point at the node
 * their anchor names at that place in the stream (a later anchor of the same name redefines it).
 */
function buildTree(text: string, events: readonly Event[]): DocumentTree | undefined {
  const first = events[0];
  if (first?.type !== EVENT_ID.DOCUMENT) return undefined;
  const anchors = new Map<string, TreeNode>();
  const open: TreeNode[] = [];
  let root: TreeNode | undefined;
  // The end of the last key, so a block scalar's header is searched after it.
  let keyEnd = -1;
  const attach = (node: TreeNode): void => {
    const parent = open[open.length - 1];
    if (parent === undefined) root = node;
    else if (parent.kind === 'seq') parent.items.push(node);
    else if (parent.kind === 'map') {
      const last = parent.pairs[parent.pairs.length - 1];
      if (last !== undefined && last.value === undefined) last.value = node;
      else parent.pairs.push({ key: node, value: undefined });
    }
  };
  const named = (event: { anchorStart: number; anchorEnd: number }, node: TreeNode): void => {
    if (event.anchorStart >= 0) anchors.set(text.slice(event.anchorStart, event.anchorEnd), node);
  };
  const isKey = (): boolean => {
    const parent = open[open.length - 1];
    if (parent?.kind !== 'map') return false;
    const last = parent.pairs[parent.pairs.length - 1];
    return last === undefined || last.value !== undefined;
  };
  for (let index = 1; index < events.length; index += 1) {
    const event = events[index];
    if (event === undefined || event.type === EVENT_ID.DOCUMENT) break;
    if (event.type === EVENT_ID.POP) {
      if (open.pop() === undefined) break;
      continue;
    }
    const key = isKey();
    let node: TreeNode;
    if (event.type === EVENT_ID.MAPPING) {
      node = { kind: 'map', start: event.start, pairs: [] };
    } else if (event.type === EVENT_ID.SEQUENCE) {
      node = { kind: 'seq', start: event.start, items: [] };
    } else if (event.type === EVENT_ID.SCALAR) {
      node = { kind: 'scalar', start: scalarStart(text, event, key ? -1 : keyEnd), event };
      if (key && event.valueStart >= 0) keyEnd = scalarEnd(event);
    } else {
      const name = text.slice(event.anchorStart, event.anchorEnd);
      node = { kind: 'alias', start: event.anchorStart - 1, target: anchors.get(name) };
      if (key) keyEnd = event.anchorEnd;
    }
    attach(node);
    if (event.type !== EVENT_ID.ALIAS) named(event, node);
    if (node.kind === 'map' || node.kind === 'seq') open.push(node);
  }
  return { root, text, event: first };
}

const EMPTY_DOCUMENT: DocumentTree = {
  root: undefined,
  text: '',
  event: { type: EVENT_ID.DOCUMENT, explicitStart: false, explicitEnd: false, directives: [] },
};

/** Key → pair per mapping node, so a document with many findings is not searched quadratically. */
const pairIndex = new WeakMap<Pair[], Map<string, Pair>>();

/** A scalar key as the loader saw it: constructed by js-yaml with the same schema, then `String`. */
function keyName(tree: DocumentTree, key: TreeNode): string | undefined {
  if (key.kind !== 'scalar') return undefined;
  const event = key.event;
  if (event.style !== SCALAR_STYLE.PLAIN && event.tagStart < 0) {
    return getScalarValue(tree.text, event);
  }
  try {
    const [value] = constructFromEvents([tree.event, event, { type: EVENT_ID.POP }], {
      source: tree.text,
      schema: YAML_SCHEMA,
    });
    return value !== null && typeof value === 'object' ? undefined : String(value);
  } catch {
    return undefined;
  }
}

function directPair(tree: DocumentTree, pairs: Pair[], key: string): Pair | undefined {
  let index = pairIndex.get(pairs);
  if (index === undefined) {
    index = new Map();
    for (const pair of pairs) {
      const name = keyName(tree, pair.key);
      if (name !== undefined && !index.has(name)) index.set(name, pair);
    }
    pairIndex.set(pairs, index);
  }
  return index.get(key);
}

function resolveAlias(node: TreeNode | undefined): TreeNode | undefined {
  return node?.kind === 'alias' ? node.target : node;
}

/** Finds a key in a mapping, following `<<` merge keys the way the loader applied them. */
function findPair(tree: DocumentTree, pairs: Pair[], key: string, depth = 0): Pair | undefined {
  const direct = directPair(tree, pairs, key);
  if (direct !== undefined && key !== '<<') return direct;
  if (depth > 10) return undefined;
  const merge = directPair(tree, pairs, '<<');
  const value = resolveAlias(merge?.value);
  if (value === undefined) return undefined;
  const sources = value.kind === 'seq' ? value.items : [value];
  for (const source of sources) {
    const resolved = resolveAlias(source);
    if (resolved?.kind === 'map') {
      const found = findPair(tree, resolved.pairs, key, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * Walks `path` through a document tree; returns the offset of the deepest key or item reached.
 * A path that goes on past a string (a configuration file a ConfigMap embeds, such as a SPIRE
 * `server.conf`) is searched in that string's text the way HCL is.
 */
function offsetInTree(tree: DocumentTree, path: DocPath): number | undefined {
  let node = tree.root;
  let best = node === undefined || node.start < 0 ? undefined : node.start;
  for (let index = 0; index < path.length; index += 1) {
    const segment = path[index] as PathSegment;
    node = resolveAlias(node);
    if (node?.kind === 'scalar' && node.event.valueStart >= 0) {
      const start = node.event.valueStart;
      const text = maskHclComments(tree.text.slice(start, scalarEnd(node.event)));
      const offset = offsetInText(text, path.slice(index));
      return offset === 0 ? best : start + offset;
    }
    if (node?.kind === 'map') {
      const pair = findPair(tree, node.pairs, String(segment));
      if (pair === undefined) return best;
      if (pair.key.start >= 0) best = pair.key.start;
      node = pair.value;
    } else if (node?.kind === 'seq' && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined || item.start < 0) return best;
      best = item.start;
      node = item;
    } else {
      return best;
    }
  }
  return best;
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
 * it parses each document it is asked about once, and only that document. `documentCount`
 * counts the file's documents as parsed (see `isFileDocument`), not a list's items.
 */
export class PositionResolver {
  readonly #source: SourceFile;
  readonly #documentCount: number;
  #slices: readonly Slice[] | null | undefined;
  readonly #trees = new Map<number, { tree: DocumentTree; base: number } | null>();
  #masked: string | undefined;
  #lineStarts: readonly number[] | undefined;

  constructor(source: SourceFile, documentCount: number) {
    this.#source = source;
    this.#documentCount = documentCount;
  }

  resolve(document: Pick<ScanDocument, 'index' | 'listItem'>, rulePath: DocPath): Position {
    const text = this.#source.text;
    const path = sourcePath(document, rulePath);
    this.#lineStarts ??= lineStartsOf(text);
    if (this.#source.format === 'hcl') {
      this.#masked ??= maskHclComments(text);
      return positionAt(this.#lineStarts, offsetInText(this.#masked, path));
    }
    let parsed: { tree: DocumentTree; base: number } | null;
    let offset: number | undefined;
    try {
      parsed = this.#tree(document.index);
      offset = parsed === null ? undefined : offsetInTree(parsed.tree, path);
    } catch {
      // Pathological input (e.g. nesting deep enough to exhaust the stack): fall back to text.
      parsed = null;
    }
    if (parsed === null) return positionAt(this.#lineStarts, offsetInText(text, path));
    return offset === undefined ? START : positionAt(this.#lineStarts, parsed.base + offset);
  }

  #tree(index: number): { tree: DocumentTree; base: number } | null {
    let entry = this.#trees.get(index);
    if (entry === undefined) {
      const slice = this.#slice(index);
      entry = null;
      if (slice !== null && slice.start === slice.end) {
        entry = { tree: EMPTY_DOCUMENT, base: slice.start };
      } else if (slice !== null) {
        const text = this.#source.text.slice(slice.start, slice.end);
        const tree = buildTree(text, parseEvents(text, { maxDepth: MAX_DEPTH }));
        if (tree !== undefined) entry = { tree, base: slice.start };
      }
      this.#trees.set(index, entry);
    }
    return entry;
  }

  /** The text holding document `index` as its first document; null when it cannot be found. */
  #slice(index: number): Slice | null {
    const text = this.#source.text;
    if (this.#source.format !== 'yaml') return { start: 0, end: text.length };
    this.#slices ??= this.#source.documentSlices ?? this.#split();
    return this.#slices?.[index] ?? null;
  }

  /**
   * The file's documents, split at their markers; when that count disagrees with the loader's,
   * from where the parser saw each document's root start (its line up to the next one's).
   * An empty document gets an empty slice: there is nothing in it to point at.
   */
  #split(): readonly Slice[] | null {
    const text = this.#source.text;
    const byMarkers = splitYamlDocuments(text);
    if (byMarkers.length === this.#documentCount) return byMarkers;
    const starts = documentStarts(parseEvents(text, { maxDepth: MAX_DEPTH }));
    if (starts.length !== this.#documentCount) return null;
    const lineStart = (offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;
    const slices: Slice[] = [];
    let end = text.length;
    for (let index = starts.length - 1; index >= 0; index -= 1) {
      const start = starts[index] ?? -1;
      if (start < 0) {
        slices.push({ start: 0, end: 0 });
        continue;
      }
      slices.push({ start: lineStart(start), end });
      end = lineStart(start);
    }
    return slices.reverse();
  }
}
