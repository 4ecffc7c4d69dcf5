import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { WifError } from '../../errors.ts';
import type { GcpTargetConfig } from './config.ts';
import { JWT_TOKEN_TYPE } from './google.ts';

/**
 * The external_account JSON that Application Default Credentials and gcloud read
 * (`GOOGLE_APPLICATION_CREDENTIALS`, `CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE`). Its
 * `credential_source` is always a `file`: the token file the refresher keeps fresh, or the
 * token minted for this step. The GitHub token request credentials never go into it, so the
 * file is useless to anyone who copies it once the job is over.
 */
export function externalAccountJson(config: GcpTargetConfig, subjectTokenFile: string): string {
  const document: Record<string, unknown> = {
    type: 'external_account',
    audience: config.stsAudience,
    subject_token_type: JWT_TOKEN_TYPE,
    token_url: config.stsUrl,
    ...(config.serviceAccount === undefined
      ? {}
      : {
          service_account_impersonation_url: `${config.iamCredentialsUrl}/v1/projects/-/serviceAccounts/${config.serviceAccount}:generateAccessToken`,
          ...(config.lifetimeRequested
            ? {
                service_account_impersonation: {
                  token_lifetime_seconds: config.accessTokenLifetimeSeconds,
                },
              }
            : {}),
        }),
    credential_source: { file: subjectTokenFile, format: { type: 'text' } },
    universe_domain: config.universe,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Where a CI platform checks out the repository: a credentials file there could be committed or uploaded. */
const WORKSPACE_VARIABLES = ['GITHUB_WORKSPACE', 'CI_PROJECT_DIR'] as const;

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

/** Refuses a credential path inside the job's workspace (symlinks resolved). */
export function assertOutsideWorkspace(
  path: string,
  env: Readonly<Record<string, string | undefined>>,
): void {
  for (const name of WORKSPACE_VARIABLES) {
    const workspace = env[name];
    if (workspace === undefined || workspace === '' || !inside(path, workspace)) continue;
    throw new WifError(
      'usage',
      `Refusing to write GCP credentials to ${path}: it is inside the workspace (${name}), where they could be committed or uploaded as an artifact.`,
      {
        fix: 'Point RUNNER_TEMP (or --output-dir) at a directory outside the checkout.',
      },
    );
  }
}
