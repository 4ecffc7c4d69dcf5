import type {
  CredentialSet,
  CredentialValue,
  PlannedFile,
  PlannedValue,
} from '../credentials/credential-set.ts';
import {
  assertOutsideWorkspace,
  workspaceGuard,
  type WorkspaceGuard,
} from '../credentials/workspace.ts';
import { WifError } from '../errors.ts';
import { optionSetting } from './options.ts';
import { explainRefusal } from './explain-on-failure.ts';
import type { GcpTargetConfig } from './gcp/config.ts';
import { externalAccountJson } from './gcp/credentials-file.ts';
import { mintGcpTokens, preloadGoogleAuth, type GcpTokens } from './gcp/google.ts';
import type { TargetContext } from './target.ts';

export {
  gcpOptionNames,
  gcpTokenFormats,
  parseGcpTargetConfig,
  type GcpTargetConfig,
  type GcpTokenFormat,
} from './gcp/config.ts';
export { preloadGoogleAuth } from './gcp/google.ts';

/** The variables google-github-actions/auth sets for a project, which gcloud and the client libraries read. */
export const GCP_PROJECT_VARIABLES = [
  'GOOGLE_CLOUD_PROJECT',
  'CLOUDSDK_CORE_PROJECT',
  'CLOUDSDK_PROJECT',
  'GCLOUD_PROJECT',
  'GCP_PROJECT',
] as const;
/** Variables that receive the credentials file's path: ADC, gcloud, and the anchor's own name. */
export const GCP_CREDENTIAL_FILE_VARIABLES = [
  'GOOGLE_APPLICATION_CREDENTIALS',
  'CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE',
  'GOOGLE_GHA_CREDS_PATH',
] as const;

/**
 * The GCP exchange: the job's OIDC token → STS token exchange with a workload identity pool
 * provider (→ service account impersonation) → the tokens token-format asked for, and an
 * external_account credentials file outside the workspace for Application Default Credentials
 * and gcloud. In refresh mode the file's source is the token file the refresher keeps fresh,
 * so the SDKs keep working for the whole job; otherwise it is the token minted now, and the
 * file works until that token expires (GitHub's last 5 minutes).
 */
export async function runGcpTarget(
  name: string,
  config: GcpTargetConfig,
  ctx: TargetContext,
  sdk: ReturnType<typeof preloadGoogleAuth> = preloadGoogleAuth(),
): Promise<CredentialSet> {
  const exportsFile = config.exportEnv && config.createCredentialsFile;
  const already = exportsFile
    ? GCP_CREDENTIAL_FILE_VARIABLES.slice(0, 2).find((n) => (ctx.env[n] ?? '') !== '')
    : undefined;
  if (already !== undefined && !config.overwrite) {
    throw new WifError(
      'usage',
      `GCP credentials are already in the environment (${already}, from an earlier step or the runner).`,
      {
        fix: `Add ${optionSetting(config.door, 'overwrite', 'true')} to replace them, or ${optionSetting(config.door, 'export-env', 'false')} to keep both identities (use the credentials_file_path output).`,
      },
    );
  }
  const tokenFile = config.refresh ? ctx.refreshTokenFile(config.audience) : undefined;
  if (config.refresh && tokenFile === undefined) {
    throw new WifError(
      'internal',
      'Refresh mode was requested but no refresher token file is available.',
    );
  }
  const guard = workspaceGuard('GCP credentials', ctx.env);
  if (tokenFile !== undefined) assertOutsideWorkspace(tokenFile, guard);

  const obtained = await ctx.token(config.audience);
  let tokens: GcpTokens;
  try {
    tokens = await mintGcpTokens(config, obtained.token, {
      sdk,
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
      onRetry: ({ attempt, delayMs }) => {
        ctx.log(`gcp ${name}: transient Google failure, attempt ${attempt + 1} in ${delayMs} ms`);
      },
    });
  } catch (error) {
    throw await explainRefusal(error, config.explainOnFailure, obtained.claims, ctx.log);
  }
  if (config.delegates.length > 0 && config.createCredentialsFile) {
    // external_account files cannot name delegates: ADC impersonates the account directly.
    ctx.log(
      `gcp ${name}: the credentials file impersonates ${config.serviceAccount ?? ''} directly; delegates apply to the ${config.tokenFormat} output only`,
    );
  }
  if (config.projectId === undefined && exportsFile) {
    ctx.log(
      `gcp ${name}: no project-id: ADC will ask Cloud Resource Manager for the project, which this identity may not be allowed to do; set ${optionSetting(config.door, 'project-id', 'ID')}`,
    );
  }
  const who = config.serviceAccount ?? `principals of ${config.workloadIdentityProvider}`;
  ctx.log(
    `gcp ${name}: ${config.tokenFormat === 'none' ? 'verified federation for' : `minted ${config.tokenFormat} for`} ${who}${config.refresh ? ' (refreshing credentials file)' : ''}`,
  );
  return gcpCredentialSet(name, config, tokens, obtained, tokenFile, guard);
}

/** Stands for the credential directory in the external_account JSON until the sink picks it. */
const CREDENTIAL_DIRECTORY = '<credential directory>';

/** A file name per target, so several GCP identities can share one credential directory. */
function filePrefix(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug === '' || slug === 'gcp') return 'gcp';
  return slug.startsWith('gcp-') ? slug : `gcp-${slug}`;
}

function gcpCredentialSet(
  name: string,
  config: GcpTargetConfig,
  tokens: GcpTokens,
  obtained: { readonly token: string; readonly claims: Readonly<Record<string, unknown>> },
  refreshTokenFile: string | undefined,
  guard: WorkspaceGuard,
): CredentialSet {
  const env: PlannedValue[] = [];
  const outputs: PlannedValue[] = [];
  const files: PlannedFile[] = [];
  const values: CredentialValue[] = [];
  const prefix = filePrefix(name);

  if (tokens.accessToken !== undefined) {
    outputs.push({ name: 'access_token', value: tokens.accessToken.token, secret: true });
    values.push({
      name: 'access-token',
      value: tokens.accessToken.token,
      secret: true,
      expiresAt: tokens.accessToken.expiresAt,
    });
    // google-github-actions/auth calls the federated token auth_token; it is only handed out when it is the access token.
    if (config.serviceAccount === undefined)
      outputs.push({ name: 'auth_token', value: tokens.federated.token, secret: true });
  }
  if (tokens.idToken !== undefined) {
    outputs.push({ name: 'id_token', value: tokens.idToken.token, secret: true });
    values.push({
      name: 'id-token',
      value: tokens.idToken.token,
      secret: true,
      expiresAt: tokens.idToken.expiresAt,
    });
  }
  if (config.projectId !== undefined) {
    outputs.push({ name: 'project_id', value: config.projectId, secret: false });
    if (config.exportEnv)
      for (const variable of GCP_PROJECT_VARIABLES)
        env.push({ name: variable, value: config.projectId, secret: false });
  }

  if (config.createCredentialsFile) {
    const jsonName = `${prefix}-credentials.json`;
    const pathEnv = config.exportEnv ? [...GCP_CREDENTIAL_FILE_VARIABLES] : [];
    if (refreshTokenFile !== undefined) {
      files.push({
        fileName: jsonName,
        content: externalAccountJson(config, refreshTokenFile),
        outsideWorkspace: guard,
        secret: false,
        pathEnv,
        pathOutputs: ['credentials_file_path'],
      });
    } else {
      // The token minted now, next to the file that names it; it stops working when the token expires.
      const subjectName = `${prefix}-subject-token`;
      files.push({
        fileName: subjectName,
        content: obtained.token,
        secret: true,
        pathEnv: [],
        pathOutputs: [],
      });
      files.push({
        fileName: jsonName,
        content: externalAccountJson(config, `${CREDENTIAL_DIRECTORY}/${subjectName}`),
        directoryPlaceholder: CREDENTIAL_DIRECTORY,
        outsideWorkspace: guard,
        secret: false,
        pathEnv,
        pathOutputs: ['credentials_file_path'],
      });
      const exp = obtained.claims['exp'];
      values.push({
        name: 'subject-token',
        value: obtained.token,
        secret: true,
        expiresAt: typeof exp === 'number' ? new Date(exp * 1000) : undefined,
      });
    }
  }

  const what =
    config.serviceAccount === undefined
      ? `federated identity via ${config.workloadIdentityProvider}`
      : `service account ${config.serviceAccount}`;
  return {
    target: name,
    label: `GCP ${what}${refreshTokenFile === undefined ? '' : ' (refreshing credentials file)'}`,
    values,
    // An env file of the variables and outputs holds the access token too (with no file at all).
    plan: { env, outputs, files, outsideWorkspace: guard },
  };
}
