import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import type { CredentialSet } from '../../core/credentials/credential-set.ts';
import { SecretDirectory } from '../../core/credentials/secret-files.ts';
import { assertOutsideWorkspace, workspaceGuard } from '../../core/credentials/workspace.ts';
import { exportToEnvFile, type EnvFileExport } from '../env-file-sink.ts';

/**
 * GitLab sink. GitLab masks only variables defined in settings, never values produced at run
 * time, so nothing secret is printed; and dotenv reports are stored artifacts, so credentials
 * go to a 0600 env file outside the project directory that later script lines `source`. The
 * project directory is kept out by the guard every exchange and sink shares (symlinks
 * resolved), before any directory is made.
 */
export async function exportToGitLab(
  sets: readonly CredentialSet[],
  env: Readonly<Record<string, string | undefined>>,
  options: { parentDir?: string } = {},
): Promise<EnvFileExport> {
  const parent = resolve(options.parentDir ?? env['TMPDIR'] ?? tmpdir());
  assertOutsideWorkspace(parent, workspaceGuard('credentials', env));
  return exportToEnvFile(sets, () => SecretDirectory.create(parent));
}
