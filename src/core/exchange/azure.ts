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
import { explained } from './explain-on-failure.ts';
import { optionSetting } from './options.ts';
import { azLogin } from './azure/az-login.ts';
import type { AzureTargetConfig } from './azure/config.ts';
import { acquireEntraToken, preloadIdentitySdk, type EntraToken } from './azure/entra.ts';
import { loadAfterDispatch } from './load-after-dispatch.ts';
import type { TargetContext } from './target.ts';

export {
  azureOptionNames,
  parseAzureTargetConfig,
  type AzureTargetConfig,
} from './azure/config.ts';
export { azureEnvironmentNames, type AzureEnvironmentName } from './azure/clouds.ts';
export { preloadIdentitySdk } from './azure/entra.ts';
export { azLogin, azLogout, findAzCli } from './azure/az-login.ts';

/** Variables that already hold an Azure credential: replacing them needs overwrite. */
const CREDENTIAL_VARIABLES = [
  'AZURE_FEDERATED_TOKEN_FILE',
  'ARM_OIDC_TOKEN_FILE_PATH',
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'ARM_CLIENT_SECRET',
  'ARM_OIDC_TOKEN',
] as const;

/**
 * The Azure exchange: the job's OIDC token as a federated client assertion → an Entra ID access
 * token, acquired before anything is exported so a refused federated credential fails the step
 * with its AADSTS code. What is exported is what the Azure SDKs (WorkloadIdentityCredential,
 * DefaultAzureCredential), Terraform's azurerm/azuread providers and the CLI read; no `az`
 * needed. In refresh mode the token file is the one the refresher keeps fresh, as on AKS.
 */
export async function runAzureTarget(
  name: string,
  config: AzureTargetConfig,
  ctx: TargetContext,
  sdk?: ReturnType<typeof preloadIdentitySdk>,
): Promise<CredentialSet> {
  if (config.exportEnv && !config.overwrite) refuseToClobber(config, ctx.env);
  const tokenFile = config.refresh ? ctx.refreshTokenFile(config.audience) : undefined;
  if (config.refresh && tokenFile === undefined) {
    throw new WifError(
      'internal',
      'Refresh mode was requested but no refresher token file is available.',
    );
  }
  const guard = workspaceGuard('Azure credentials', ctx.env);
  if (tokenFile !== undefined) assertOutsideWorkspace(tokenFile, guard);
  const pending = ctx.token(config.audience);
  const identity = sdk ?? loadAfterDispatch(pending, preloadIdentitySdk);
  identity.catch(() => undefined);
  const obtained = await pending;
  const proof = await acquireEntraToken(config, obtained.token, config.proofScope, {
    sdk: identity,
    signal: ctx.signal,
    claims: obtained.claims,
    onRetry: ({ attempt, delayMs }) => {
      ctx.log(`${who(name)}: transient Entra ID failure, attempt ${attempt + 1} in ${delayMs} ms`);
    },
  }).catch(async (error: unknown) => {
    if (
      config.explainOnFailure !== undefined &&
      error instanceof WifError &&
      error.code === 'denied'
    ) {
      // Loaded only on a refusal: the policy engine (and its CEL runtime) stays off the happy path.
      const { explainAzureRefusal } = await import('./azure/explain.ts');
      const explanation = await explainAzureRefusal(config.explainOnFailure, obtained.claims);
      for (const line of explanation.lines) ctx.log(`${who(name)}: ${line}`);
      if (explanation.explained) throw explained(error, config.explainOnFailure);
    }
    throw error;
  });
  ctx.log(
    `${who(name)}: Entra ID issued a token for ${config.proofScope} to app ${config.clientId} in tenant ${config.tenantId}${tokenFile === undefined ? '' : ' (refreshing token file)'}`,
  );
  if (config.azLogin) await azLogin(config, obtained.token, ctx);
  const exp = obtained.claims['exp'];
  const tokenExpiry = typeof exp === 'number' ? new Date(exp * 1000) : undefined;
  return azureCredentialSet(
    name,
    config,
    proof,
    { token: obtained.token, expiresAt: tokenExpiry },
    tokenFile,
    guard,
  );
}

/** How log lines name the target: `azure`, or `azure prod` in a multi-target step. */
function who(name: string): string {
  return name === 'azure' ? 'azure' : `azure ${name}`;
}

function refuseToClobber(
  config: AzureTargetConfig,
  env: Readonly<Record<string, string | undefined>>,
): void {
  const present = (n: string): string | undefined => {
    const value = env[n];
    return value === undefined || value === '' ? undefined : value;
  };
  const credential = CREDENTIAL_VARIABLES.find((n) => present(n) !== undefined);
  // An identity variable with the same value is no clobbering (a job may set AZURE_CLIENT_ID itself).
  const identity = (['AZURE_CLIENT_ID', 'ARM_CLIENT_ID'] as const).find(
    (n) => present(n) !== undefined && present(n)?.toLowerCase() !== config.clientId,
  );
  const already = credential ?? identity;
  if (already !== undefined) {
    throw new WifError(
      'usage',
      `Azure credentials are already in the environment (${already}, from an earlier step or the runner).`,
      {
        fix: `Add ${optionSetting(config.door, 'overwrite', 'true')} to replace them, or ${optionSetting(config.door, 'export-env', 'false')} to keep both identities (use the federated-token-file output).`,
      },
    );
  }
}

function fileNameFor(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug === '' || slug === 'azure') return 'azure-federated-token';
  return `${slug.startsWith('azure-') ? slug : `azure-${slug}`}-federated-token`;
}

function azureCredentialSet(
  name: string,
  config: AzureTargetConfig,
  proof: EntraToken,
  federated: { readonly token: string; readonly expiresAt: Date | undefined },
  refreshTokenFile: string | undefined,
  guard: WorkspaceGuard,
): CredentialSet {
  const env: PlannedValue[] = [];
  const outputs: PlannedValue[] = [];
  const files: PlannedFile[] = [];
  const values: CredentialValue[] = [
    { name: 'access-token', value: proof.token, secret: true, expiresAt: proof.expiresAt },
  ];
  // SDKs name the file in AZURE_FEDERATED_TOKEN_FILE, Terraform's azurerm/azuread in ARM_OIDC_TOKEN_FILE_PATH.
  const fileVariables = config.exportEnv
    ? ['AZURE_FEDERATED_TOKEN_FILE', 'ARM_OIDC_TOKEN_FILE_PATH']
    : [];

  if (config.exportEnv) {
    env.push(
      { name: 'AZURE_CLIENT_ID', value: config.clientId, secret: false },
      { name: 'AZURE_TENANT_ID', value: config.tenantId, secret: false },
      { name: 'AZURE_AUTHORITY_HOST', value: config.authorityHost, secret: false },
      { name: 'ARM_CLIENT_ID', value: config.clientId, secret: false },
      { name: 'ARM_TENANT_ID', value: config.tenantId, secret: false },
      { name: 'ARM_USE_OIDC', value: 'true', secret: false },
    );
    if (config.subscriptionId !== undefined) {
      env.push(
        { name: 'AZURE_SUBSCRIPTION_ID', value: config.subscriptionId, secret: false },
        { name: 'ARM_SUBSCRIPTION_ID', value: config.subscriptionId, secret: false },
      );
    }
    if (config.cloud.terraformEnvironment !== 'public')
      env.push({
        name: 'ARM_ENVIRONMENT',
        value: config.cloud.terraformEnvironment,
        secret: false,
      });
  }

  if (refreshTokenFile !== undefined) {
    for (const variable of fileVariables)
      env.push({ name: variable, value: refreshTokenFile, secret: false });
    outputs.push({ name: 'federated-token-file', value: refreshTokenFile, secret: false });
  } else {
    // The token minted now; it works until it expires (GitHub's last 5 minutes) — refresh mode outlives it.
    files.push({
      fileName: fileNameFor(name),
      content: federated.token,
      secret: true,
      pathEnv: fileVariables,
      pathOutputs: ['federated-token-file'],
    });
    values.push({
      name: 'federated-token',
      value: federated.token,
      secret: true,
      expiresAt: federated.expiresAt,
    });
  }

  const expiresAt =
    refreshTokenFile === undefined &&
    federated.expiresAt !== undefined &&
    federated.expiresAt < proof.expiresAt
      ? federated.expiresAt
      : proof.expiresAt;
  outputs.push(
    { name: 'client-id', value: config.clientId, secret: false },
    { name: 'tenant-id', value: config.tenantId, secret: false },
    { name: 'expires-at', value: expiresAt.toISOString(), secret: false },
  );
  if (config.subscriptionId !== undefined)
    outputs.push({ name: 'subscription-id', value: config.subscriptionId, secret: false });
  if (config.accessTokenScope !== undefined)
    outputs.push({ name: 'access-token', value: proof.token, secret: true });

  return {
    target: name,
    label: `Azure app ${config.clientId} in tenant ${config.tenantId}${refreshTokenFile === undefined ? '' : ' (refreshing federated token file)'}`,
    values,
    plan: { env, outputs, files, outsideWorkspace: guard },
  };
}
