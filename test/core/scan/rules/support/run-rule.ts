/**
 * Runs one rule over in-memory files the way the scan does: the loader's parser and
 * classifier, the engine's cross-file context and its position resolver. Tests then assert
 * rule id, severity and the line and column of the offending key.
 */
import { DEFAULT_CONFIG } from '../../../../../src/core/scan/config.ts';
import type { ScanConfig } from '../../../../../src/core/scan/config.ts';
import { buildContext } from '../../../../../src/core/scan/context.ts';
import { isFileDocument } from '../../../../../src/core/scan/document.ts';
import type { DocPath, ScanDocument, SourceFile } from '../../../../../src/core/scan/document.ts';
import { formatFor, parseSource } from '../../../../../src/core/scan/loader/index.ts';
import { PositionResolver } from '../../../../../src/core/scan/positions.ts';
import type { Rule, Severity } from '../../../../../src/core/scan/rule.ts';

export interface LocatedFinding {
  readonly rule: string;
  readonly severity: Severity;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path: DocPath;
  readonly message: string;
  readonly object: string;
}

/** Strips the indentation common to every non-blank line, so fixtures can sit indented. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indents = lines
    .filter((line) => line.trim() !== '')
    .map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const strip = Math.min(...indents);
  return lines.map((line) => line.slice(strip)).join('\n');
}

export async function runRule(
  rule: Rule,
  files: Readonly<Record<string, string>>,
  config: Partial<ScanConfig> = {},
): Promise<LocatedFinding[]> {
  const documents: ScanDocument[] = [];
  const sources: { source: SourceFile; count: number }[] = [];
  for (const [path, raw] of Object.entries(files)) {
    const text = dedent(raw);
    const source: SourceFile = { path, format: formatFor(path, text), text };
    const parsed = await parseSource(source);
    const error = parsed.errors[0];
    if (error !== undefined) throw new Error(`fixture ${path} does not parse: ${error.message}`);
    documents.push(...parsed.documents);
    sources.push({ source, count: parsed.documents.filter(isFileDocument).length });
  }
  const context = await buildContext(documents, { ...DEFAULT_CONFIG, ...config });
  const resolvers = new Map(
    sources.map(({ source, count }) => [source.path, new PositionResolver(source, count)]),
  );
  const found: LocatedFinding[] = [];
  for (const document of documents) {
    const classification = document.classification;
    if (!rule.meta.appliesTo.includes(classification.kind)) continue;
    if (
      classification.kind === 'k8s' &&
      rule.meta.k8sKinds !== undefined &&
      !rule.meta.k8sKinds.includes(classification.k8sKind)
    ) {
      continue;
    }
    for (const finding of rule.check(document, context)) {
      const position = resolvers.get(document.file)!.resolve(document, finding.path);
      found.push({
        rule: rule.meta.id,
        severity: finding.severity ?? rule.meta.severity,
        file: document.file,
        line: position.line,
        column: position.column,
        path: finding.path,
        message: finding.message ?? rule.meta.message,
        object:
          finding.object?.name ??
          (classification.kind === 'k8s'
            ? `${classification.k8sKind}/${classification.name}`
            : document.file),
      });
    }
  }
  return found;
}

/** The finding's location as `line:column`, for compact assertions. */
export function at(finding: LocatedFinding | undefined): string {
  return finding === undefined ? 'none' : `${finding.line}:${finding.column}`;
}
