import {
  applyExport,
  assertPlanOutsideWorkspace,
  type AppliedExport,
} from '../core/credentials/apply.ts';
import type { CredentialSet } from '../core/credentials/credential-set.ts';
import type { SecretDirectory } from '../core/credentials/secret-files.ts';
import { exportLine, outputToEnvName } from '../core/credentials/shell.ts';

export interface EnvFileExport extends AppliedExport {
  /** The 0600 file of `export` lines to `source`. */
  readonly envFile: string;
  /** The lines written, for callers that also print them (the CLI on a workstation). */
  readonly lines: readonly string[];
}

/**
 * Writes every variable (and every output, as WIF_<OUTPUT>, unless `onOutput` takes them) to a 0600 env file of `export`
 * lines in the credential directory. Used where a platform has no runtime masking or outputs:
 * GitLab jobs, Tekton steps, a workstation shell.
 */
export async function exportToEnvFile(
  sets: readonly CredentialSet[],
  directory: () => Promise<SecretDirectory>,
  options: {
    envFileName?: string;
    onOutput?: (name: string, value: string, secret: boolean) => void;
  } = {},
): Promise<EnvFileExport> {
  const lines: string[] = [];
  let dir: SecretDirectory | undefined;
  const openDir = async (): Promise<SecretDirectory> => (dir ??= await directory());
  const applied = await applyExport(
    sets,
    {
      mask: () => undefined,
      setEnv: (name, value) => lines.push(exportLine(name, value)),
      setOutput: (name, value, secret) => {
        if (options.onOutput === undefined) lines.push(exportLine(outputToEnvName(name), value));
        else options.onOutput(name, value, secret);
      },
      outputVariable: options.onOutput === undefined ? (name) => outputToEnvName(name) : undefined,
    },
    openDir,
  );
  const target = await openDir();
  try {
    // The env file holds every variable, secrets too: it goes where the sets' files may go.
    for (const set of sets) assertPlanOutsideWorkspace(set, target.path);
  } catch (error) {
    await target.remove();
    throw error;
  }
  const envFile = await target.write(options.envFileName ?? 'wif.env', `${lines.join('\n')}\n`);
  return { ...applied, directory: target.path, files: [...applied.files, envFile], envFile, lines };
}
