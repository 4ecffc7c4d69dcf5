import { createHash } from 'node:crypto';
import { WifError, isWifError } from '../../core/errors.ts';
import { parseAzureCredentials, type AzureFederatedCredential } from '../../core/policy/index.ts';

/**
 * The `azure` section of the sandbox config: directories (tenants) and the app registrations
 * that live in them, each with its federated identity credentials. Credentials use the field
 * names of Microsoft Graph's `federatedIdentityCredential` resource (what
 * `az ad app federated-credential show` prints), so a user can paste a real one in.
 */
export interface AzureTenant {
  /** Directory (tenant) ID, a GUID. */
  readonly id: string;
  /** The verified domain, e.g. `contoso.onmicrosoft.com`; also accepted in URLs in place of the ID. */
  readonly name: string;
}

export interface ClaimsMatchingExpression {
  readonly value: string;
  readonly languageVersion: number;
}

/**
 * A Graph `federatedIdentityCredential` as written in the config: classic (`subject`) or
 * flexible (`claimsMatchingExpression`). The emulator holds it in the policy engine's parsed
 * form, so both read the same document the same way.
 */
export interface FederatedCredential {
  readonly name: string;
  readonly issuer: string;
  readonly subject: string | null;
  readonly claimsMatchingExpression?: ClaimsMatchingExpression;
  readonly audiences: readonly string[];
  readonly description?: string;
}

export interface AzureApp {
  /** Application (client) ID, a GUID: the `client_id` of token requests. */
  readonly clientId: string;
  readonly name: string;
  /** The tenant the app is registered in. */
  readonly tenantId: string;
  /** Object ID of the app's service principal: the `oid`/`sub` of the tokens it receives. */
  readonly objectId: string;
  readonly federatedCredentials: readonly AzureFederatedCredential[];
}

export interface AzureConfig {
  readonly tenants: readonly AzureTenant[];
  readonly apps: readonly AzureApp[];
}

/** The Entra ID defaults for the token-exchange audience (public cloud). */
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

export const SANDBOX_TENANT: AzureTenant = {
  id: 'c0ffee00-0000-4000-8000-000000000001',
  name: 'wif-sandbox.onmicrosoft.com',
};

/** The subject GitHub gives the sandbox issuer's default job (a push to main of octo-org/octo-repo). */
export const SANDBOX_DEFAULT_SUBJECT = 'repo:octo-org/octo-repo:ref:refs/heads/main';

/**
 * The embedded default: one tenant, one app trusting the sandbox issuer's default GitHub job,
 * so `wif sandbox` works out of the box.
 */
export function defaultAzureConfig(issuerUrl: string): AzureConfig {
  return {
    tenants: [SANDBOX_TENANT],
    apps: [
      {
        clientId: 'c0ffee00-0000-4000-8000-0000000000a1',
        name: 'octo-repo-deploy',
        tenantId: SANDBOX_TENANT.id,
        objectId: 'c0ffee00-0000-4000-8000-0000000000b1',
        federatedCredentials: [
          {
            name: 'octo-repo-main',
            issuer: issuerUrl,
            subject: SANDBOX_DEFAULT_SUBJECT,
            audiences: [TOKEN_EXCHANGE_AUDIENCE],
          },
        ],
      },
    ],
  };
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Validates the `azure` config section. `undefined` means the embedded default. A credential
 * without `issuer` trusts the sandbox issuer (its URL has a port chosen at start); an app
 * without `tenantId` belongs to the only tenant; an app without `objectId` gets one derived
 * from its client ID.
 */
export function parseAzureConfig(section: unknown, issuerUrl: string): AzureConfig {
  if (section === undefined || section === null) return defaultAzureConfig(issuerUrl);
  const root = record(section, 'azure', ['tenants', 'apps']);
  const tenants = list(root.tenants, 'azure.tenants').map((value, i) =>
    parseTenant(value, `azure.tenants[${i}]`),
  );
  if (tenants.length === 0) throw invalid('azure.tenants must list at least one tenant');
  unique(
    tenants.map((t) => t.id.toLowerCase()),
    'azure.tenants',
    'id',
  );
  unique(
    tenants.map((t) => t.name.toLowerCase()),
    'azure.tenants',
    'name',
  );
  const apps = list(root.apps ?? [], 'azure.apps').map((value, i) =>
    parseApp(value, `azure.apps[${i}]`, tenants, issuerUrl),
  );
  unique(
    apps.map((a) => `${a.tenantId.toLowerCase()}/${a.clientId.toLowerCase()}`),
    'azure.apps',
    'clientId',
  );
  return { tenants, apps };
}

function parseTenant(value: unknown, path: string): AzureTenant {
  const r = record(value, path, ['id', 'name']);
  const id = text(r.id, `${path}.id`);
  if (!guid.test(id)) throw invalid(`${path}.id must be a GUID, got "${id}"`);
  return { id: id.toLowerCase(), name: text(r.name, `${path}.name`) };
}

function parseApp(
  value: unknown,
  path: string,
  tenants: readonly AzureTenant[],
  issuerUrl: string,
): AzureApp {
  const r = record(value, path, [
    'clientId',
    'name',
    'tenantId',
    'objectId',
    'federatedCredentials',
  ]);
  const clientId = text(r.clientId, `${path}.clientId`);
  if (!guid.test(clientId)) throw invalid(`${path}.clientId must be a GUID, got "${clientId}"`);
  let tenantId: string;
  if (r.tenantId === undefined) {
    const only = tenants.length === 1 ? tenants[0] : undefined;
    if (only === undefined)
      throw invalid(`${path}.tenantId is required when more than one tenant is configured`);
    tenantId = only.id;
  } else {
    const wanted = text(r.tenantId, `${path}.tenantId`).toLowerCase();
    const tenant = tenants.find((t) => t.id === wanted);
    if (tenant === undefined)
      throw invalid(`${path}.tenantId "${wanted}" is not one of azure.tenants`);
    tenantId = tenant.id;
  }
  const objectId =
    r.objectId === undefined ? derivedObjectId(clientId) : text(r.objectId, `${path}.objectId`);
  if (!guid.test(objectId)) throw invalid(`${path}.objectId must be a GUID, got "${objectId}"`);
  const credentials = list(r.federatedCredentials ?? [], `${path}.federatedCredentials`).map(
    (c, i) => parseCredential(c, `${path}.federatedCredentials[${i}]`, issuerUrl),
  );
  unique(
    credentials.map((c) => c.name),
    `${path}.federatedCredentials`,
    'name',
  );
  return {
    clientId: clientId.toLowerCase(),
    name: text(r.name, `${path}.name`),
    tenantId,
    objectId: objectId.toLowerCase(),
    federatedCredentials: credentials,
  };
}

function parseCredential(
  value: unknown,
  path: string,
  issuerUrl: string,
): AzureFederatedCredential {
  const credential = readCredential(value, path, issuerUrl);
  try {
    const [parsed] = parseAzureCredentials(credential, path);
    if (parsed === undefined) throw invalid(`${path} is empty`);
    return parsed;
  } catch (error) {
    if (isWifError(error) && error.code === 'usage')
      throw invalid(error.message.replace(/\.$/, ''));
    throw error;
  }
}

function readCredential(value: unknown, path: string, issuerUrl: string): FederatedCredential {
  // `id` is what Graph and `az ... federated-credential show` print; it is accepted and ignored.
  const r = record(value, path, [
    'name',
    'issuer',
    'subject',
    'claimsMatchingExpression',
    'audiences',
    'description',
    'id',
  ]);
  const name = text(r.name, `${path}.name`);
  const issuer = r.issuer === undefined ? issuerUrl : text(r.issuer, `${path}.issuer`);
  const audiences = list(r.audiences ?? [TOKEN_EXCHANGE_AUDIENCE], `${path}.audiences`).map(
    (a, i) => text(a, `${path}.audiences[${i}]`),
  );
  // Graph allows exactly one audience per credential.
  if (audiences.length !== 1)
    throw invalid(`${path}.audiences must hold exactly one value, as Entra ID requires`);
  const hasSubject = r.subject !== undefined && r.subject !== null;
  const hasExpression =
    r.claimsMatchingExpression !== undefined && r.claimsMatchingExpression !== null;
  if (hasSubject === hasExpression) {
    throw invalid(`${path} must have exactly one of "subject" and "claimsMatchingExpression"`);
  }
  const description =
    r.description === undefined ? undefined : text(r.description, `${path}.description`);
  const base = { name, issuer, audiences, ...(description === undefined ? {} : { description }) };
  if (hasSubject) return { ...base, subject: text(r.subject, `${path}.subject`) };
  const e = record(r.claimsMatchingExpression, `${path}.claimsMatchingExpression`, [
    'value',
    'languageVersion',
  ]);
  const languageVersion = e.languageVersion ?? 1;
  if (languageVersion !== 1) {
    throw invalid(
      `${path}.claimsMatchingExpression.languageVersion must be 1, the only version Entra ID defines`,
    );
  }
  return {
    ...base,
    subject: null,
    claimsMatchingExpression: {
      value: text(e.value, `${path}.claimsMatchingExpression.value`),
      languageVersion,
    },
  };
}

/** A stable GUID-shaped object ID, so tokens for the same app keep the same `oid` across runs. */
function derivedObjectId(clientId: string): string {
  const hex = createHash('sha256')
    .update(`service-principal:${clientId.toLowerCase()}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function invalid(what: string): WifError {
  return new WifError('usage', `Invalid sandbox config: ${what}.`, {
    fix: 'Fix the azure section of the sandbox config file, or leave it out to use the built-in default.',
  });
}

function record(value: unknown, path: string, keys: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(`${path} must be an object`);
  const unknownKey = Object.keys(value).find((key) => !keys.includes(key));
  if (unknownKey !== undefined)
    throw invalid(`${path} has an unknown key "${unknownKey}" (known: ${keys.join(', ')})`);
  return value as Record<string, unknown>;
}

function list(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) throw invalid(`${path} must be a list`);
  return value as unknown[];
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw invalid(`${path} must be a non-empty string`);
  return value;
}

function unique(values: readonly string[], path: string, field: string): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) throw invalid(`${path} has two entries with ${field} "${value}"`);
    seen.add(value);
  }
}
