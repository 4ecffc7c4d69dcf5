import { tmpdir } from 'node:os';
import { isAbsolute, relative, resolve } from 'node:path';
import type { CredentialSet } from '../../core/credentials/credential-set.ts';
import { SecretDirectory } from '../../core/credentials/secret-files.ts';
import { WifError } from '../../core/errors.ts';
import { exportToEnvFile, type EnvFileExport } from '../env-file-sink.ts';

/**
 * GitLab sink. GitLab masks only variables defined in settings, never values produced at run
 * time, so nothing secret is printed; and dotenv reports are stored artifacts, so credentials
 * go to a 0600 env file outside the project directory that later script lines `source`.
 */
export async function exportToGitLab(
  sets: readonly CredentialSet[],
  env: Readonly<Record<string, string | undefined>>,
  options: { parentDir?: string } = {},
): Promise<EnvFileExport> {
  const parent = resolve(options.parentDir ?? env['TMPDIR'] ?? tmpdir());
  const projectDir = env['CI_PROJECT_DIR'];
  if (projectDir !== undefined && projectDir !== '' && isInside(parent, resolve(projectDir))) {
    throw new WifError(
      'usage',
      `Refusing to write credentials under ${parent}: it is inside the project directory, where artifacts and caches are collected.`,
      {
        fix: 'Use a directory outside $CI_PROJECT_DIR (the default is the system temp directory).',
      },
    );
  }
  return exportToEnvFile(sets, () => SecretDirectory.create(parent));
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
