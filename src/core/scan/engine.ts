/**
 * The engine: load → classify → build the cross-file context → run the rules that apply to
 * each document → resolve positions (only for documents with findings) → fingerprint →
 * apply suppressions. A rule that throws on hostile input is contained: its document is noted
 * as unchecked and the scan goes on.
 */
import type { Hash } from 'node:crypto';
import type { Baseline } from './baseline.ts';
import { BAD_SUPPRESSION, BUILTIN_RULES, PARSE_ERROR } from './builtin.ts';
import type { ScanConfig } from './config.ts';
import { buildContext } from './context.ts';
import { getAt, isFileDocument, isObject, stringAt } from './document.ts';
import type { DocPath, ScanDocument, SourceFile } from './document.ts';
import type { Finding, Suppression } from './finding.ts';
import { loadSources } from './loader/index.ts';
import type { LoadOptions, ScanNote } from './loader/index.ts';
import { PositionResolver } from './positions.ts';
import type { ObjectRef, Rule, RuleFinding, RuleMeta } from './rule.ts';
import { RULES } from './rules/index.ts';
import { SEVERITIES, severityRank } from './severity.ts';
import type { Severity } from './severity.ts';
import {
  configIgnoreApplies,
  findCommentSuppressions,
  IGNORE_ANNOTATION,
  isExpired,
  matchesTarget,
  parseAnnotation,
  utcDay,
} from './suppressions.ts';
import type { CommentSuppression, SuppressionEntry } from './suppressions.ts';

export interface ScanOptions extends LoadOptions {
  readonly config: ScanConfig;
  /** Defaults to every registered rule. */
  readonly rules?: readonly Rule[];
  readonly baseline?: Baseline;
  /** Today, for suppression expiry; defaults to the clock. */
  readonly now?: Date;
}

export interface ScanSummary {
  readonly files: number;
  readonly documents: number;
  /** Unsuppressed findings. */
  readonly findings: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly suppressed: number;
}

export interface ScanResult {
  readonly files: number;
  readonly documents: number;
  /** Every finding, suppressed ones included, ordered by file, line, column, rule. */
  readonly findings: readonly Finding[];
  readonly notes: readonly ScanNote[];
  /** Metadata of the rules that ran, and of the engine's own findings. */
  readonly rules: readonly RuleMeta[];
}

/** Rules enabled by the configuration, with severity overrides applied to their metadata. */
export function selectRules(rules: readonly Rule[], config: ScanConfig): readonly Rule[] {
  return rules
    .filter((rule) => config.enable === null || config.enable.includes(rule.meta.id))
    .filter((rule) => !config.disable.includes(rule.meta.id))
    .map((rule) => {
      const override = config.severity[rule.meta.id];
      return override === undefined
        ? rule
        : { ...rule, meta: { ...rule.meta, severity: override } };
    });
}

interface RawFinding {
  readonly meta: RuleMeta;
  readonly document: ScanDocument | undefined;
  readonly source: SourceFile;
  readonly path: DocPath;
  readonly finding: RuleFinding;
  /** Set for the engine's own findings, which know their position already. */
  readonly at?: { readonly line: number; readonly column: number };
}

function objectOf(document: ScanDocument | undefined, finding: RuleFinding): ObjectRef | null {
  if (finding.object !== undefined) return finding.object;
  if (document?.classification.kind !== 'k8s') return null;
  const { k8sKind, name, namespace } = document.classification;
  return { kind: k8sKind, name, namespace };
}

/**
 * The path with list indices replaced by the item's `name` or `id` where it has one, so a
 * fingerprint survives reordering of containers, steps or env entries.
 */
export function semanticPath(value: unknown, path: DocPath): string {
  let current: unknown = value;
  const parts: string[] = [];
  for (const segment of path) {
    const next = getAt(current, [segment]);
    if (typeof segment === 'number' && isObject(next)) {
      const label = next['name'] ?? next['id'];
      parts.push(typeof label === 'string' ? `[${label}]` : `[${segment}]`);
    } else {
      parts.push(typeof segment === 'number' ? `[${segment}]` : `.${segment}`);
    }
    current = next;
  }
  return parts.join('');
}

type CreateHash = (algorithm: 'sha256') => Hash;

function fingerprintOf(createHash: CreateHash, raw: RawFinding, object: ObjectRef | null): string {
  const objectKey =
    object === null ? '' : `${object.kind}/${object.namespace ?? ''}/${object.name}`;
  const where =
    raw.document === undefined
      ? (raw.finding.message ?? '')
      : // A list item is named by its object, not its place: `kubectl get` output reorders.
        `${raw.document.index}${raw.document.listItem === undefined ? '' : '.items[]'}${semanticPath(raw.document.value, raw.path)}`;
  return createHash('sha256')
    .update([raw.meta.id, raw.source.path, objectKey, where].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}

function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  if (a.ruleId !== b.ruleId) return a.ruleId < b.ruleId ? -1 : 1;
  return a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0;
}

/** Rules by document kind, and for Kubernetes objects by `kind`, each list in run order. */
interface RuleIndex {
  readonly byKind: ReadonlyMap<string, readonly Rule[]>;
  readonly byK8sKind: ReadonlyMap<string, readonly Rule[]>;
  /** Rules for every Kubernetes object, whatever its `kind`. */
  readonly anyK8s: readonly Rule[];
}

function indexRules(rules: readonly Rule[]): RuleIndex {
  const byKind = new Map<string, Rule[]>();
  const specific = new Map<string, Rule[]>();
  const add = (index: Map<string, Rule[]>, key: string, rule: Rule): void => {
    const list = index.get(key);
    if (list === undefined) index.set(key, [rule]);
    else list.push(rule);
  };
  for (const rule of rules) {
    for (const kind of rule.meta.appliesTo) {
      if (kind === 'k8s' && rule.meta.k8sKinds !== undefined) {
        for (const k8sKind of rule.meta.k8sKinds) add(specific, k8sKind, rule);
      } else add(byKind, kind, rule);
    }
  }
  // Each kind-specific list also holds the rules for every object, so a document's rules are
  // one lookup rather than a fresh array per document.
  const anyK8s = byKind.get('k8s') ?? [];
  const byK8sKind = new Map<string, readonly Rule[]>();
  for (const [k8sKind, list] of specific) byK8sKind.set(k8sKind, [...anyK8s, ...list]);
  return { byKind, byK8sKind, anyK8s };
}

const NO_RULES: readonly Rule[] = [];

/** Where a Kubernetes object's suppression annotation sits; read for every object of a scan. */
const IGNORE_PATH: DocPath = ['metadata', 'annotations', IGNORE_ANNOTATION];

function rulesFor(index: RuleIndex, document: ScanDocument): readonly Rule[] {
  const classification = document.classification;
  if (classification.kind !== 'k8s') return index.byKind.get(classification.kind) ?? NO_RULES;
  return index.byK8sKind.get(classification.k8sKind) ?? index.anyK8s;
}

export async function scan(options: ScanOptions): Promise<ScanResult> {
  const today = utcDay(options.now ?? new Date());
  const loaded = await loadSources(options);
  const rules = selectRules(options.rules ?? RULES, options.config);
  const context = await buildContext(loaded.documents, options.config);
  const index = indexRules(rules);
  const notes: ScanNote[] = [...loaded.notes];
  const raw: RawFinding[] = [];

  // Indexed loops: this one runs rules × documents times, mostly before the JIT has optimized
  // it, where `for…of` costs an iterator per loop.
  const documents = loaded.documents;
  for (let d = 0; d < documents.length; d += 1) {
    const document = documents[d] as ScanDocument;
    const applicable = rulesFor(index, document);
    for (let r = 0; r < applicable.length; r += 1) {
      const rule = applicable[r] as Rule;
      let found: readonly RuleFinding[];
      try {
        found = rule.check(document, context);
      } catch (error) {
        notes.push({
          file: document.file,
          message: `rule ${rule.meta.id} could not check document ${document.index + 1}${
            document.listItem === undefined ? '' : ` (item ${document.listItem + 1})`
          }: ${error instanceof Error ? error.message : String(error)}`,
        });
        continue;
      }
      for (let f = 0; f < found.length; f += 1) {
        const finding = found[f] as RuleFinding;
        raw.push({
          meta: rule.meta,
          document,
          source: document.source,
          path: finding.path,
          finding,
        });
      }
    }
  }
  for (const error of loaded.parseErrors) {
    raw.push({
      meta: PARSE_ERROR,
      document: undefined,
      source: error.source,
      path: [],
      finding: { path: [], message: error.message },
      at: { line: error.line, column: error.column },
    });
  }

  // Annotation suppressions, and malformed ones reported as findings of their own.
  const annotationEntries = new Map<ScanDocument, SuppressionEntry[]>();
  for (let d = 0; d < documents.length; d += 1) {
    const document = documents[d] as ScanDocument;
    if (document.classification.kind !== 'k8s') continue;
    const value = stringAt(document.value, IGNORE_PATH);
    if (value === undefined) continue;
    const entries: SuppressionEntry[] = [];
    for (const parsed of parseAnnotation(value)) {
      if (parsed.ok) entries.push(parsed.entry);
      else {
        raw.push({
          meta: BAD_SUPPRESSION,
          document,
          source: document.source,
          path: IGNORE_PATH,
          finding: {
            path: IGNORE_PATH,
            message: `${BAD_SUPPRESSION.message} (${parsed.reason})`,
          },
        });
      }
    }
    annotationEntries.set(document, entries);
  }

  const documentsPerSource = new Map<SourceFile, number>();
  for (let d = 0; d < documents.length; d += 1) {
    const document = documents[d] as ScanDocument;
    if (!isFileDocument(document)) continue;
    documentsPerSource.set(document.source, (documentsPerSource.get(document.source) ?? 0) + 1);
  }
  const resolvers = new Map<SourceFile, PositionResolver>();
  const comments = new Map<SourceFile, readonly CommentSuppression[]>();
  const commentsOf = (source: SourceFile): readonly CommentSuppression[] => {
    let found = comments.get(source);
    if (found === undefined) {
      found = findCommentSuppressions(source.text, source.format);
      comments.set(source, found);
      for (const comment of found) {
        if (comment.parsed.ok) continue;
        raw.push({
          meta: BAD_SUPPRESSION,
          document: undefined,
          source,
          path: [],
          finding: { path: [], message: `${BAD_SUPPRESSION.message} (${comment.parsed.reason})` },
          at: { line: comment.line, column: 1 },
        });
      }
    }
    return found;
  };
  for (const item of raw.slice()) commentsOf(item.source);

  const baseline = new Set(options.baseline?.findings.map((entry) => entry.fingerprint) ?? []);
  const toFinding = (item: RawFinding, createHash: CreateHash): Finding => {
    let at = item.at;
    if (at === undefined && item.document !== undefined) {
      let resolver = resolvers.get(item.source);
      if (resolver === undefined) {
        resolver = new PositionResolver(item.source, documentsPerSource.get(item.source) ?? 0);
        resolvers.set(item.source, resolver);
      }
      at = resolver.resolve(item.document, item.path);
    }
    const line = at?.line ?? 1;
    const column = at?.column ?? 1;
    const object = objectOf(item.document, item.finding);
    const fingerprint = fingerprintOf(createHash, item, object);

    const candidates: Suppression[] = [];
    const matches = (entry: SuppressionEntry): boolean =>
      matchesTarget(entry.target, item.meta.id, item.meta.invariants);
    if (item.document !== undefined) {
      for (const entry of annotationEntries.get(item.document) ?? []) {
        if (matches(entry)) candidates.push(entry);
      }
    }
    for (const comment of comments.get(item.source) ?? []) {
      if (
        comment.parsed.ok &&
        line >= comment.from &&
        line <= comment.to &&
        matches(comment.parsed.entry)
      ) {
        candidates.push(comment.parsed.entry);
      }
    }
    for (const ignore of options.config.ignore) {
      if (
        matchesTarget(ignore.rule, item.meta.id, item.meta.invariants) &&
        configIgnoreApplies(ignore, item.source.path)
      ) {
        candidates.push({ by: 'config', reason: ignore.reason, until: ignore.until });
      }
    }
    if (baseline.has(fingerprint)) {
      candidates.push({
        by: 'baseline',
        reason: `accepted in the baseline of ${options.baseline?.created ?? 'an earlier scan'}`,
        until: null,
      });
    }
    const suppression = candidates.find((candidate) => !isExpired(candidate, today)) ?? null;
    const expired =
      suppression === null
        ? (candidates.find((candidate) => isExpired(candidate, today)) ?? null)
        : null;
    const message = item.finding.message ?? item.meta.message;
    return {
      ruleId: item.meta.id,
      title: item.meta.title,
      invariants: item.meta.invariants,
      severity:
        options.config.severity[item.meta.id] ?? item.finding.severity ?? item.meta.severity,
      message:
        expired === null
          ? message
          : `${message} (its ${expired.by} suppression expired after ${expired.until ?? ''})`,
      fix: item.meta.fix,
      docsAnchor: item.meta.docsAnchor,
      file: item.source.path,
      line,
      column,
      object,
      fingerprint,
      suppression:
        suppression === null
          ? null
          : { by: suppression.by, reason: suppression.reason, until: suppression.until },
      expired:
        expired === null ? null : { by: expired.by, reason: expired.reason, until: expired.until },
    };
  };
  const findings: Finding[] = [];
  if (raw.length > 0) {
    // node:crypto costs a start-up of its own; a clean scan has nothing to fingerprint.
    const { createHash } = process.getBuiltinModule('node:crypto');
    for (const item of raw) findings.push(toFinding(item, createHash));
  }
  findings.sort(compareFindings);

  return {
    files: loaded.files,
    documents: loaded.documents.length,
    findings,
    notes,
    rules: [...rules.map((rule) => rule.meta), ...BUILTIN_RULES],
  };
}

export function summarize(
  result: Pick<ScanResult, 'files' | 'documents' | 'findings'>,
): ScanSummary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<
    Severity,
    number
  >;
  let suppressed = 0;
  for (const finding of result.findings) {
    if (finding.suppression !== null) suppressed += 1;
    else bySeverity[finding.severity] += 1;
  }
  return {
    files: result.files,
    documents: result.documents,
    findings: result.findings.length - suppressed,
    bySeverity,
    suppressed,
  };
}

/** The most severe unsuppressed finding's severity, or null when there is none. */
export function worstSeverity(findings: readonly Finding[]): Severity | null {
  let worst: Severity | null = null;
  for (const finding of findings) {
    if (finding.suppression !== null) continue;
    if (worst === null || severityRank(finding.severity) < severityRank(worst))
      worst = finding.severity;
  }
  return worst;
}
