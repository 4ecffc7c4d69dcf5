import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { WifError } from '../errors.ts';

/**
 * Credentials that must stay out of the job's checkout, where they could be committed or
 * uploaded as an artifact. The workspaces are captured as data when the exchange runs, so the
 * guard travels with a credential set (across a worker thread) to the sink that picks the
 * directory.
 */
export interface WorkspaceGuard {
  /** How the message names what would be written, e.g. `GCP credentials`. */
  readonly what: string;
  /** The job's checkouts by the variable that names them, e.g. `GITHUB_WORKSPACE`. */
  readonly workspaces: Readonly<Record<string, string>>;
}

/** Where a CI platform checks out the repository. */
const WORKSPACE_VARIABLES = ['GITHUB_WORKSPACE', 'CI_PROJECT_DIR'] as const;

export function workspaceGuard(
  what: string,
  env: Readonly<Record<string, string | undefined>>,
): WorkspaceGuard {
  const workspaces: Record<string, string> = {};
  for (const name of WORKSPACE_VARIABLES) {
    const path = env[name];
    if (path !== undefined && path !== '') workspaces[name] = path;
  }
  return { what, workspaces };
}

/** Refuses a credential path inside one of the guarded workspaces (symlinks resolved). */
export function assertOutsideWorkspace(path: string, guard: WorkspaceGuard): void {
  for (const [name, workspace] of Object.entries(guard.workspaces)) {
    if (!inside(path, workspace)) continue;
    throw new WifError(
      'usage',
      `Refusing to write ${guard.what} to ${path}: it is inside the workspace (${name}), where they could be committed or uploaded as an artifact.`,
      {
        // Where each front door's directory comes from: the GitHub runner's temp dir, the
        // CLI's --output-dir, or the system temp dir (TMPDIR) by default elsewhere.
        fix: 'Point RUNNER_TEMP (or --output-dir, or TMPDIR) at a directory outside the checkout.',
      },
    );
  }
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function inside(path: string, directory: string): boolean {
  const rel = relative(real(directory), real(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
