/**
 * Walks a GitLab CI file: its jobs (hidden `.template` jobs included, since `extends:` copies
 * them into real jobs), their script lines and variables, each with its path.
 */
import { entriesOf, isGitlabReference, isObject, memoize } from '../../document.ts';
import type { DocPath, PlainObject } from '../../document.ts';
import type { ObjectRef } from '../../rule.ts';

/** Top-level keys that are keywords, not jobs (GitLab CI YAML reference). */
const GLOBAL_KEYWORDS = new Set([
  'default',
  'include',
  'stages',
  'variables',
  'workflow',
  'image',
  'services',
  'cache',
  'before_script',
  'after_script',
  'spec',
]);

export interface GitlabJob {
  readonly name: string;
  readonly path: DocPath;
  readonly job: PlainObject;
  readonly object: ObjectRef;
  readonly hidden: boolean;
}

export interface ScriptLine {
  readonly path: DocPath;
  readonly line: string;
}

export interface VariableEntry {
  readonly path: DocPath;
  readonly name: string;
  /** The value, from `NAME: value` or `NAME: { value: … }`. */
  readonly value: unknown;
}

/** Several rules read each CI file; its jobs and script lines are collected once. */
export function gitlabJobs(file: unknown): readonly GitlabJob[] {
  return isObject(file) ? jobsOf(file) : [];
}

const jobsOf = memoize((file: PlainObject): readonly GitlabJob[] => {
  const jobs: GitlabJob[] = [];
  for (const [name, job] of entriesOf(file)) {
    if (GLOBAL_KEYWORDS.has(name) || !isObject(job)) continue;
    jobs.push({
      name,
      path: [name],
      job,
      object: { kind: 'job', name, namespace: null },
      hidden: name.startsWith('.'),
    });
  }
  return jobs;
});

function linesOf(value: unknown, path: DocPath, out: ScriptLine[], depth: number): void {
  if (typeof value === 'string') {
    out.push({ path, line: value });
  } else if (Array.isArray(value) && depth < 4 && !isGitlabReference(value)) {
    // Anchors and `!reference` can nest lists one level or more; a `!reference` itself holds
    // the names of a job and a key, not commands, so it is not read as lines.
    (value as readonly unknown[]).forEach((item, index) => {
      linesOf(item, [...path, index], out, depth + 1);
    });
  }
}

/** Every script line of a job (`before_script`, `script`, `after_script`) with its path. */
export const scriptLines: (job: GitlabJob) => readonly ScriptLine[] = memoize((job) => {
  const out: ScriptLine[] = [];
  for (const key of ['before_script', 'script', 'after_script']) {
    linesOf(job.job[key], [...job.path, key], out, 0);
  }
  return out;
});

/** Script lines of the file's global `before_script`/`after_script` and `default:` block. */
export function globalScriptLines(file: unknown): readonly ScriptLine[] {
  const out: ScriptLine[] = [];
  if (!isObject(file)) return out;
  for (const key of ['before_script', 'after_script']) linesOf(file[key], [key], out, 0);
  for (const key of ['before_script', 'script', 'after_script']) {
    linesOf(isObject(file['default']) ? file['default'][key] : undefined, ['default', key], out, 0);
  }
  return out;
}

/** Entries of a `variables:` mapping at `path`. */
export function variablesAt(variables: unknown, path: DocPath): readonly VariableEntry[] {
  return entriesOf(variables).map(([name, raw]) => ({
    path: [...path, name],
    name,
    value: isObject(raw) ? raw['value'] : raw,
  }));
}

/** The `id_tokens` a job requests (its own, or `default:`'s). */
export function idTokensOf(file: unknown, job: GitlabJob): PlainObject | undefined {
  const own = job.job['id_tokens'];
  if (isObject(own)) return own;
  const fallback =
    isObject(file) && isObject(file['default']) ? file['default']['id_tokens'] : undefined;
  return isObject(fallback) ? fallback : undefined;
}

/** True when the job copies its configuration from another (`extends:`), so it may inherit keys. */
export function extendsAnother(job: GitlabJob): boolean {
  const value = job.job['extends'];
  return typeof value === 'string' || (Array.isArray(value) && value.length > 0);
}

/** Bound on `extends:` chains; GitLab itself stops at 11 levels. */
const MAX_EXTENDS_DEPTH = 11;

/**
 * True when the job, or a job it extends in the same file, or `default:`, sets `key`. `unknown`
 * when it extends a job defined elsewhere (an include), whose keys this file cannot show.
 */
export function inheritsKey(file: unknown, job: GitlabJob, key: string): boolean | 'unknown' {
  if (isObject(file) && isObject(file['default']) && file['default'][key] !== undefined)
    return true;
  let frontier: readonly string[] = [job.name];
  const seen = new Set<string>();
  for (let depth = 0; depth < MAX_EXTENDS_DEPTH && frontier.length > 0; depth += 1) {
    const next: string[] = [];
    for (const name of frontier) {
      if (seen.has(name)) continue;
      seen.add(name);
      const current = isObject(file) ? file[name] : undefined;
      if (!isObject(current)) return 'unknown';
      if (current[key] !== undefined) return true;
      const parents = current['extends'];
      if (typeof parents === 'string') next.push(parents);
      else if (Array.isArray(parents)) {
        next.push(
          ...(parents as readonly unknown[]).filter((p): p is string => typeof p === 'string'),
        );
      }
    }
    frontier = next;
  }
  return false;
}
