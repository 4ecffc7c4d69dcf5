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
