import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { CredentialSet } from '../../core/credentials/credential-set.ts';
import { SecretDirectory } from '../../core/credentials/secret-files.ts';
import { isEnvName } from '../../core/credentials/shell.ts';
import { WifError } from '../../core/errors.ts';
import { exportToEnvFile, type EnvFileExport } from '../env-file-sink.ts';

export interface TektonExport extends EnvFileExport {
  /** Result names written (non-secret values only). */
  readonly results: readonly string[];
}

/**
 * Tekton sink. Results are stored on the TaskRun object and visible to anyone who can read
 * it, so only non-secret values become results; credentials are 0600 files in a workspace
 * (with an env file a later step sources), never results.
 */
export async function exportToTekton(
  sets: readonly CredentialSet[],
  options: { resultsDir: string; workspaceDir: string },
): Promise<TektonExport> {
  for (const set of sets) {
    const secret = set.plan.outputs.find((o) => o.secret);
    if (secret !== undefined) {
      throw new WifError(
        'internal',
        `Refusing to write the secret "${secret.name}" of ${set.target} as a Tekton result.`,
      );
    }
  }
  const pending: { name: string; value: string }[] = [];
  const applied = await exportToEnvFile(sets, () => SecretDirectory.create(options.workspaceDir), {
    onOutput: (name, value, secret) => {
      if (secret)
        throw new WifError(
          'internal',
          `Refusing to write the secret output "${name}" as a Tekton result.`,
        );
      pending.push({ name, value });
    },
  });
  for (const { name, value } of pending) await writeResult(options.resultsDir, name, value);
  const results = pending.map((r) => r.name);
  return { ...applied, results };
}

async function writeResult(dir: string, name: string, value: string): Promise<void> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name) && !isEnvName(name)) {
    throw new WifError('internal', `"${name}" is not a valid Tekton result name.`);
  }
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
  const handle = await open(join(dir, name), flags, 0o644).catch((error: unknown) => {
    throw new WifError(
      'io',
      `Could not write the Tekton result ${name} in ${dir}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`,
      {
        fix: 'Declare the result in the Task (results: - name: …) and run inside a TaskRun.',
      },
    );
  });
  try {
    await handle.writeFile(value, 'utf8');
  } finally {
    await handle.close();
  }
}
