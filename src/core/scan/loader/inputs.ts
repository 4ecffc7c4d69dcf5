/**
 * Turns the command line's inputs (files, directories, globs, `-`) into the list of files to
 * read, applying `--include` / `--exclude`. Directory walks look only at configuration-shaped
 * files and skip what is never configuration (VCS metadata, dependencies, lock files).
 */
import { glob, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { WifError } from '../../errors.ts';

export interface InputFile {
  readonly absolute: string;
  /** Relative to the scan root, `/` separators. */
  readonly relative: string;
  /** Named on the command line (read whatever its extension) rather than found by a walk. */
  readonly explicit: boolean;
}

export interface NoteLike {
  readonly file: string;
  readonly message: string;
}

export interface ExpandOptions {
  readonly root: string;
  readonly inputs: readonly string[];
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

export interface ExpandResult {
  readonly files: readonly InputFile[];
  readonly stdin: boolean;
  readonly notes: readonly NoteLike[];
}

const WALK_EXTENSIONS = ['.yaml', '.yml', '.json', '.tf', '.hcl', '.conf'];
const NEVER_WALK = new Set(['.git', 'node_modules', '.terraform', '.hg', '.svn']);
const NEVER_READ = [/(^|\/)package-lock\.json$/, /(^|\/)tsconfig[^/]*\.json$/, /\.lock$/];
const GLOB_CHARS = /[*?[\]{}]/;

export function toRelative(root: string, absolute: string): string {
  const relative = path.relative(root, absolute).split(path.sep).join('/');
  return relative === '' ? path.basename(absolute) : relative;
}

function matchesAny(relative: string, patterns: readonly string[]): boolean {
  return patterns.some(
    (pattern) => path.matchesGlob(relative, pattern) || path.matchesGlob(relative, `**/${pattern}`),
  );
}

function isWalkable(relative: string): boolean {
  const lower = relative.toLowerCase();
  if (NEVER_READ.some((pattern) => pattern.test(lower))) return false;
  return WALK_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

async function walkDirectory(
  directory: string,
  root: string,
  out: InputFile[],
  notes: NoteLike[],
): Promise<void> {
  const entries = await readdir(directory, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const isChart = entries.some((entry) => entry.isFile() && entry.name === 'Chart.yaml');
  for (const entry of entries) {
    const absolute = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (NEVER_WALK.has(entry.name)) continue;
      // Chart templates are Go templates, not YAML; they are scanned once rendered.
      if (isChart && entry.name === 'templates') {
        notes.push({
          file: toRelative(root, absolute),
          message: 'skipped: Helm chart templates are not plain YAML; scan them with --helm-chart.',
        });
        continue;
      }
      await walkDirectory(absolute, root, out, notes);
    } else if (entry.isFile()) {
      const relative = toRelative(root, absolute);
      if (isWalkable(relative)) out.push({ absolute, relative, explicit: false });
    }
  }
}

export async function expandInputs(options: ExpandOptions): Promise<ExpandResult> {
  const found: InputFile[] = [];
  const notes: NoteLike[] = [];
  let stdin = false;
  for (const input of options.inputs) {
    if (input === '-') {
      stdin = true;
      continue;
    }
    const absolute = path.resolve(options.root, input);
    const info = await stat(absolute).catch(() => undefined);
    if (info?.isDirectory() === true) {
      const before = found.length;
      await walkDirectory(absolute, options.root, found, notes);
      // An existing directory without configuration is a clean tree (a repository with nothing
      // to check yet), not a mistake; the note says why nothing was scanned.
      if (found.length === before) {
        notes.push({
          file: toRelative(options.root, absolute),
          message: `no scannable files (${WALK_EXTENSIONS.join(', ')}) in this directory.`,
        });
      }
    } else if (info?.isFile() === true) {
      found.push({ absolute, relative: toRelative(options.root, absolute), explicit: true });
    } else if (GLOB_CHARS.test(input)) {
      const matches: string[] = [];
      for await (const match of glob(input, { cwd: options.root })) matches.push(match);
      matches.sort();
      for (const match of matches) {
        const matchPath = path.resolve(options.root, match);
        const matchInfo = await stat(matchPath).catch(() => undefined);
        if (matchInfo?.isFile() === true) {
          found.push({
            absolute: matchPath,
            relative: toRelative(options.root, matchPath),
            explicit: true,
          });
        } else if (matchInfo?.isDirectory() === true) {
          await walkDirectory(matchPath, options.root, found, notes);
        }
      }
      if (matches.length === 0) {
        // Usually a typo, or a glob the shell expanded (or failed to) before wif saw it; a scan
        // of nothing must not pass as a clean one.
        throw new WifError('usage', `Input "${input}" matched no files.`, {
          fix: 'Check the path, or quote the glob so the shell does not expand it.',
        });
      }
    } else {
      throw new WifError('usage', `Input ${input} does not exist.`, {
        fix: 'Pass existing files, directories, globs, or - for standard input.',
      });
    }
  }
  const seen = new Set<string>();
  const files = found.filter((file) => {
    if (seen.has(file.absolute)) return false;
    seen.add(file.absolute);
    if (options.include.length > 0 && !matchesAny(file.relative, options.include)) return false;
    return !matchesAny(file.relative, options.exclude);
  });
  return { files, stdin, notes };
}
