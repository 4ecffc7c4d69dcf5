import { WifError } from '../errors.ts';
import type { AwsTrustPolicy } from './aws.ts';
import { parseAwsTrustPolicy } from './aws.ts';
import type { AzureFederatedCredential } from './azure.ts';
import { parseAzureCredentials } from './azure.ts';
import type { GcpIamPolicy, GcpProvider } from './gcp.ts';
import { parseGcpIamPolicy, parseGcpProvider } from './gcp.ts';
import type { VaultJwtConfig, VaultJwtRole } from './vault.ts';
import { parseVaultConfig, parseVaultRole } from './vault.ts';

/**
 * Recognises the exports users already have: `aws iam get-role` (policy as object or
 * URL-encoded string) or a bare trust policy, `gcloud … providers describe --format json`,
 * `gcloud iam service-accounts get-iam-policy --format json`, `az … federated-credential
 * show|list`, and `vault read -format=json auth/<mount>/role/<r>` or `…/config`.
 */
export type TrustConfigType = 'aws' | 'gcp' | 'azure' | 'vault';

export type TrustConfig =
  | {
      readonly kind: 'aws';
      readonly source: string;
      readonly policy: AwsTrustPolicy;
      readonly roleName?: string;
    }
  | { readonly kind: 'gcp'; readonly source: string; readonly provider: GcpProvider }
  | { readonly kind: 'gcp-iam-policy'; readonly source: string; readonly policy: GcpIamPolicy }
  | {
      readonly kind: 'azure';
      readonly source: string;
      readonly credentials: readonly AzureFederatedCredential[];
    }
  | { readonly kind: 'vault'; readonly source: string; readonly role: VaultJwtRole }
  | { readonly kind: 'vault-config'; readonly source: string; readonly config: VaultJwtConfig };

export function detectTrustConfig(
  document: unknown,
  source: string,
  forced?: TrustConfigType,
): TrustConfig {
  const kind = forced === undefined ? sniff(document) : refine(forced, document);
  if (kind === undefined) {
    throw new WifError('usage', `${source} is not a trust configuration wif recognises.`, {
      fix: 'Pass an AWS get-role or trust policy, a GCP provider describe, an Azure federated-credential show, or a Vault role read (JSON), or force the type with --type.',
    });
  }
  switch (kind) {
    case 'aws': {
      const role = isRecord(document) && isRecord(document['Role']) ? document['Role'] : undefined;
      const container = role ?? (isRecord(document) ? document : {});
      const policy = container['AssumeRolePolicyDocument'] ?? document;
      const roleName = typeof role?.['RoleName'] === 'string' ? { roleName: role['RoleName'] } : {};
      return { kind, source, policy: parseAwsTrustPolicy(policy, source), ...roleName };
    }
    case 'gcp':
      return { kind, source, provider: parseGcpProvider(document, source) };
    case 'gcp-iam-policy':
      return { kind, source, policy: parseGcpIamPolicy(document, source) };
    case 'azure':
      return { kind, source, credentials: parseAzureCredentials(document, source) };
    case 'vault':
      return { kind, source, role: parseVaultRole(document, source) };
    case 'vault-config':
      return { kind, source, config: parseVaultConfig(document, source) };
  }
}

function sniff(document: unknown): TrustConfig['kind'] | undefined {
  if (Array.isArray(document))
    return document.every(isAzureCredential) && document.length > 0 ? 'azure' : undefined;
  if (!isRecord(document)) return undefined;
  if (
    isRecord(document['Role']) ||
    'AssumeRolePolicyDocument' in document ||
    'Statement' in document
  )
    return 'aws';
  if (isRecord(document['oidc']) && typeof document['name'] === 'string') return 'gcp';
  if (Array.isArray(document['bindings'])) return 'gcp-iam-policy';
  if (isAzureCredential(document)) return 'azure';
  if (
    Array.isArray(document['value']) &&
    document['value'].length > 0 &&
    document['value'].every(isAzureCredential)
  )
    return 'azure';
  const data = isRecord(document['data']) ? document['data'] : document;
  if (['role_type', 'user_claim', 'bound_audiences', 'bound_claims'].some((key) => key in data))
    return 'vault';
  if (
    ['bound_issuer', 'oidc_discovery_url', 'jwks_url', 'jwt_validation_pubkeys'].some(
      (key) => key in data,
    )
  ) {
    return 'vault-config';
  }
  return undefined;
}

function refine(forced: TrustConfigType, document: unknown): TrustConfig['kind'] {
  const sniffed = sniff(document);
  if (forced === 'gcp' && sniffed === 'gcp-iam-policy') return sniffed;
  if (forced === 'vault' && sniffed === 'vault-config') return sniffed;
  return forced;
}

function isAzureCredential(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const body = isRecord(value['properties']) ? value['properties'] : value;
  return (
    typeof body['issuer'] === 'string' && ('subject' in body || 'claimsMatchingExpression' in body)
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
