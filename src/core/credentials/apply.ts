import type { CredentialSet } from './credential-set.ts';
import { secretsOf } from './credential-set.ts';
import { fileContentIn } from './file-content.ts';
import type { SecretDirectory } from './secret-files.ts';
import { checkNoClash } from './several-targets.ts';
import { assertOutsideWorkspace } from './workspace.ts';

/**
 * What a platform offers a sink: a masker, variables and outputs. GitHub maps these onto
 * `setSecret`/`exportVariable`/`setOutput`; GitLab and the CLI onto an env file or stdout;
 * Tekton onto results (non-secret only) and workspace files.
 */
export interface SinkPort {
  mask(secret: string): void;
  setEnv(name: string, value: string, secret: boolean): void;
  setOutput(name: string, value: string, secret: boolean): void;
  /**
   * Where a platform has no outputs and writes them as variables (export lines, env files):
   * the variable an output becomes, so a clash between the two is caught before anything is written.
   */
  readonly outputVariable?: ((output: string) => string) | undefined;
}

/** What was exported, so the post step (or `wif cleanup`) can undo it. */
export interface AppliedExport {
  readonly directory: string | undefined;
  readonly files: readonly string[];
  readonly env: readonly string[];
  readonly outputs: readonly string[];
}

/**
 * Carries out the plans of several credential sets. Sets of different targets that would write
 * the same place are refused before anything happens; every secret is masked before anything
 * is written; files are written before any variable points at them; when a file cannot be
 * written the directory is removed and nothing is exported (never half-written).
 */
export async function applyExport(
  sets: readonly CredentialSet[],
  port: SinkPort,
  directory: () => Promise<SecretDirectory>,
): Promise<AppliedExport> {
  checkNoClash(sets, port.outputVariable);
  for (const set of sets) for (const secret of secretsOf(set)) port.mask(secret);

  const needsFiles = sets.some((s) => s.plan.files.length > 0);
  const dir = needsFiles ? await directory() : undefined;
  const written: { path: string; pathEnv: readonly string[]; pathOutputs: readonly string[] }[] =
    [];
  if (dir !== undefined) {
    try {
      for (const set of sets) {
        assertPlanOutsideWorkspace(set, dir.path);
        for (const file of set.plan.files) {
          const path = await dir.write(file.fileName, fileContentIn(file, dir.path));
          written.push({ path, pathEnv: file.pathEnv, pathOutputs: file.pathOutputs });
        }
      }
    } catch (error) {
      await dir.remove();
      throw error;
    }
  }

  const env: string[] = [];
  const outputs: string[] = [];
  for (const set of sets) {
    for (const v of set.plan.env) {
      port.setEnv(v.name, v.value, v.secret);
      env.push(v.name);
    }
    for (const v of set.plan.outputs) {
      port.setOutput(v.name, v.value, v.secret);
      outputs.push(v.name);
    }
  }
  for (const file of written) {
    for (const name of file.pathEnv) {
      port.setEnv(name, file.path, false);
      env.push(name);
    }
    for (const name of file.pathOutputs) {
      port.setOutput(name, file.path, false);
      outputs.push(name);
    }
  }
  return { directory: dir?.path, files: written.map((f) => f.path), env, outputs };
}

/** Refuses a credential directory inside the checkout the set's plan guards (if it guards one). */
export function assertPlanOutsideWorkspace(set: CredentialSet, directory: string): void {
  if (set.plan.outsideWorkspace !== undefined)
    assertOutsideWorkspace(directory, set.plan.outsideWorkspace);
}
