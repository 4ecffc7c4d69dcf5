import { isWifError, WifError } from '../../core/errors.ts';
import { parseGcpProvider, WORKLOAD_IDENTITY_USER } from '../../core/policy/index.ts';

/**
 * The `gcp` section of the sandbox config: one project holding workload identity pools with
 * OIDC providers, and the service accounts those pools may impersonate. Field names follow
 * `gcloud iam workload-identity-pools providers describe --format json` and
 * `gcloud iam service-accounts get-iam-policy --format json`, so a user can paste what the
 * real project says:
 *
 * ```yaml
 * gcp:
 *   projectNumber: "123456789012"
 *   projectId: wif-sandbox
 *   pools:
 *     - id: ci-pool
 *       providers:
 *         - id: github                     # oidc.issuerUri defaults to the sandbox issuer
 *           attributeMapping: { google.subject: assertion.sub, attribute.repository: assertion.repository }
 *           attributeCondition: "attribute.repository == 'octo-org/octo-repo'"
 *   serviceAccounts:
 *     - email: deployer@wif-sandbox.iam.gserviceaccount.com
 *       uniqueId: "104729000000000000001"
 *       iamPolicy:
 *         bindings:
 *           - role: roles/iam.workloadIdentityUser
 *             members: ["principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ci-pool/attribute.repository/octo-org/octo-repo"]
 * ```
 */
export interface GcpConfig {
  /** The project number, as it appears in the STS `audience` and in principal identifiers. */
  readonly projectNumber: string;
  readonly projectId: string;
  readonly pools: readonly GcpPool[];
  readonly serviceAccounts: readonly GcpServiceAccount[];
}

export interface GcpPool {
  readonly id: string;
  readonly disabled: boolean;
  readonly providers: readonly GcpProvider[];
}

export interface GcpProvider {
  readonly id: string;
  readonly disabled: boolean;
  readonly oidc: { readonly issuerUri: string; readonly allowedAudiences: readonly string[] };
  /** `google.subject`, `google.groups`, `attribute.<name>` → CEL over `assertion`. */
  readonly attributeMapping: Readonly<Record<string, string>>;
  /** CEL over `assertion` and `attribute`; absent means every verified token is accepted. */
  readonly attributeCondition: string | undefined;
}

export interface GcpServiceAccount {
  readonly email: string;
  readonly uniqueId: string;
  readonly disabled: boolean;
  /**
   * Longest `generateAccessToken` lifetime: 3600 s, or 43200 s where the org policy
   * `constraints/iam.allowServiceAccountCredentialLifetimeExtension` lists the account.
   */
  readonly maxTokenLifetimeSeconds: number;
  readonly iamPolicy: { readonly bindings: readonly GcpBinding[] };
}

export interface GcpBinding {
  readonly role: string;
  readonly members: readonly string[];
}

export const TOKEN_CREATOR = 'roles/iam.serviceAccountTokenCreator';
export const DEFAULT_LIFETIME_SECONDS = 3600;
export const EXTENDED_LIFETIME_SECONDS = 43_200;

/** `projects/<number>/locations/global/workloadIdentityPools/<pool>` */
export function poolResource(config: GcpConfig, pool: GcpPool): string {
  return `projects/${config.projectNumber}/locations/global/workloadIdentityPools/${pool.id}`;
}

/** `projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>` */
export function providerResource(config: GcpConfig, pool: GcpPool, provider: GcpProvider): string {
  return `${poolResource(config, pool)}/providers/${provider.id}`;
}

const DEFAULT_PROJECT_NUMBER = '123456789012';
const DEFAULT_POOL = 'ci-pool';

/**
 * What `wif sandbox` uses when the config file has no `gcp` section: a `ci` pool whose
 * `github` provider trusts the sandbox issuer and admits only `octo-org/octo-repo` (the
 * issuer's default job), and a `deployer` account that repository may impersonate.
 * `issuerUri` is filled in with the running issuer's URL.
 */
export function defaultGcpConfig(issuerUrl: string): GcpConfig {
  return {
    projectNumber: DEFAULT_PROJECT_NUMBER,
    projectId: 'wif-sandbox',
    pools: [
      {
        id: DEFAULT_POOL,
        disabled: false,
        providers: [
          {
            id: 'github',
            disabled: false,
            oidc: { issuerUri: issuerUrl, allowedAudiences: [] },
            attributeMapping: {
              'google.subject': 'assertion.sub',
              'attribute.repository': 'assertion.repository',
              'attribute.repository_owner': 'assertion.repository_owner',
              'attribute.ref': 'assertion.ref',
              'attribute.actor': 'assertion.actor',
            },
            attributeCondition: "attribute.repository == 'octo-org/octo-repo'",
          },
        ],
      },
    ],
    serviceAccounts: [
      {
        email: 'deployer@wif-sandbox.iam.gserviceaccount.com',
        uniqueId: '104729000000000000001',
        disabled: false,
        maxTokenLifetimeSeconds: DEFAULT_LIFETIME_SECONDS,
        iamPolicy: {
          bindings: [
            {
              role: WORKLOAD_IDENTITY_USER,
              members: [
                `principalSet://iam.googleapis.com/projects/${DEFAULT_PROJECT_NUMBER}/locations/global/workloadIdentityPools/${DEFAULT_POOL}/attribute.repository/octo-org/octo-repo`,
              ],
            },
          ],
        },
      },
    ],
  };
}

/**
 * Validates the `gcp` section. Top-level fields left out take the default's value; a provider
 * without `oidc.issuerUri` trusts the sandbox issuer. Every problem is one line naming the path.
 */
export function parseGcpConfig(raw: unknown, issuerUrl: string): GcpConfig {
  const defaults = defaultGcpConfig(issuerUrl);
  if (raw === undefined || raw === null) return defaults;
  const root = object(raw, 'gcp');
  known(root, 'gcp', ['projectNumber', 'projectId', 'pools', 'serviceAccounts']);
  const projectNumber =
    optionalString(root.projectNumber, 'gcp.projectNumber') ?? defaults.projectNumber;
  check(
    /^[1-9]\d{0,18}$/.test(projectNumber),
    'gcp.projectNumber',
    `"${projectNumber}" is not a project number`,
    'use the digits gcloud shows as projectNumber, e.g. "123456789012".',
  );
  const projectId = optionalString(root.projectId, 'gcp.projectId') ?? defaults.projectId;
  check(
    /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(projectId),
    'gcp.projectId',
    `"${projectId}" is not a project ID`,
    'use 6-30 lowercase letters, digits or hyphens, starting with a letter.',
  );
  const pools =
    root.pools === undefined
      ? defaults.pools
      : array(root.pools, 'gcp.pools').map((p, i) =>
          parsePool(p, `gcp.pools[${i}]`, issuerUrl, projectNumber),
        );
  unique(
    pools.map((p) => p.id),
    'gcp.pools',
    'pool id',
  );
  const serviceAccounts =
    root.serviceAccounts === undefined
      ? defaults.serviceAccounts
      : array(root.serviceAccounts, 'gcp.serviceAccounts').map((s, i) =>
          parseServiceAccount(s, `gcp.serviceAccounts[${i}]`),
        );
  unique(
    serviceAccounts.map((s) => s.email),
    'gcp.serviceAccounts',
    'email',
  );
  unique(
    serviceAccounts.map((s) => s.uniqueId),
    'gcp.serviceAccounts',
    'uniqueId',
  );
  return { projectNumber, projectId, pools, serviceAccounts };
}

// Google: pool and provider IDs are 4-32 lowercase letters, digits or hyphens; `gcp-` is reserved.
const RESOURCE_ID = /^(?!gcp-)[a-z0-9-]{4,32}$/;
const MAPPING_KEY =
  /^(google\.(subject|groups|display_name|posix_username)|attribute\.[a-z0-9_]{1,100})$/;

function parsePool(raw: unknown, path: string, issuerUrl: string, projectNumber: string): GcpPool {
  const pool = object(raw, path);
  known(pool, path, ['id', 'disabled', 'providers']);
  const id = requiredString(pool.id, `${path}.id`);
  check(RESOURCE_ID.test(id), `${path}.id`, `"${id}" is not a valid pool ID`, idRule);
  const providers = array(pool.providers ?? [], `${path}.providers`).map((p, i) =>
    parseProvider(p, `${path}.providers[${i}]`, issuerUrl),
  );
  providers.forEach((provider, i) => {
    // The policy engine's own parser checks the CEL, so the sandbox refuses exactly what explain would.
    try {
      parseGcpProvider(
        {
          name: `projects/${projectNumber}/locations/global/workloadIdentityPools/${id}/providers/${provider.id}`,
          oidc: provider.oidc,
          attributeMapping: provider.attributeMapping,
          ...(provider.attributeCondition === undefined
            ? {}
            : { attributeCondition: provider.attributeCondition }),
        },
        'the provider',
      );
    } catch (error) {
      if (!isWifError(error)) throw error;
      throw invalid(
        `${path}.providers[${i}]`,
        error.message.replace(/\.$/, ''),
        'write the mapping and condition in CEL as gcloud accepts them.',
      );
    }
  });
  unique(
    providers.map((p) => p.id),
    `${path}.providers`,
    'provider id',
  );
  return { id, disabled: optionalBoolean(pool.disabled, `${path}.disabled`) ?? false, providers };
}

function parseProvider(raw: unknown, path: string, issuerUrl: string): GcpProvider {
  const provider = object(raw, path);
  known(provider, path, ['id', 'disabled', 'oidc', 'attributeMapping', 'attributeCondition']);
  const id = requiredString(provider.id, `${path}.id`);
  check(RESOURCE_ID.test(id), `${path}.id`, `"${id}" is not a valid provider ID`, idRule);
  const oidc = provider.oidc === undefined ? {} : object(provider.oidc, `${path}.oidc`);
  known(oidc, `${path}.oidc`, ['issuerUri', 'allowedAudiences', 'jwksJson']);
  check(
    oidc.jwksJson === undefined,
    `${path}.oidc.jwksJson`,
    'uploaded JWKS are not supported by the sandbox',
    'leave it out: keys are always fetched from the issuer discovery document.',
  );
  const issuerUri = optionalString(oidc.issuerUri, `${path}.oidc.issuerUri`) ?? issuerUrl;
  check(
    URL.canParse(issuerUri) && /^https?:$/.test(new URL(issuerUri).protocol),
    `${path}.oidc.issuerUri`,
    `"${issuerUri}" is not an http(s) URL`,
    'give the exact "iss" the tokens carry.',
  );
  const allowedAudiences = strings(oidc.allowedAudiences ?? [], `${path}.oidc.allowedAudiences`);
  const mappingRaw = object(provider.attributeMapping, `${path}.attributeMapping`);
  const attributeMapping: Record<string, string> = {};
  for (const [key, value] of Object.entries(mappingRaw)) {
    check(
      MAPPING_KEY.test(key),
      `${path}.attributeMapping`,
      `"${key}" is not a mappable attribute`,
      'use google.subject, google.groups, google.display_name, google.posix_username or attribute.<lowercase_name>.',
    );
    attributeMapping[key] = requiredString(value, `${path}.attributeMapping["${key}"]`);
  }
  check(
    attributeMapping['google.subject'] !== undefined,
    `${path}.attributeMapping`,
    'google.subject is not mapped',
    'add "google.subject": "assertion.sub" (Google requires it).',
  );
  const attributeCondition = optionalString(
    provider.attributeCondition,
    `${path}.attributeCondition`,
  );
  return {
    id,
    disabled: optionalBoolean(provider.disabled, `${path}.disabled`) ?? false,
    oidc: { issuerUri, allowedAudiences },
    attributeMapping,
    attributeCondition,
  };
}

const MEMBER = /^(principal:\/\/|principalSet:\/\/|serviceAccount:|user:|group:|domain:)\S+$/;

function parseServiceAccount(raw: unknown, path: string): GcpServiceAccount {
  const account = object(raw, path);
  known(account, path, ['email', 'uniqueId', 'disabled', 'maxTokenLifetimeSeconds', 'iamPolicy']);
  const email = requiredString(account.email, `${path}.email`);
  check(
    /^[^@\s/]+@[^@\s/]+$/.test(email),
    `${path}.email`,
    `"${email}" is not an email address`,
    'use <name>@<project>.iam.gserviceaccount.com.',
  );
  const uniqueId = requiredString(account.uniqueId, `${path}.uniqueId`);
  check(
    /^\d{1,30}$/.test(uniqueId),
    `${path}.uniqueId`,
    `"${uniqueId}" is not a numeric unique ID`,
    'use the digits gcloud shows as uniqueId, e.g. "104729000000000000001".',
  );
  const lifetime = account.maxTokenLifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS;
  check(
    lifetime === DEFAULT_LIFETIME_SECONDS || lifetime === EXTENDED_LIFETIME_SECONDS,
    `${path}.maxTokenLifetimeSeconds`,
    `${JSON.stringify(lifetime)} is not a lifetime Google offers`,
    'use 3600, or 43200 to model the org policy constraints/iam.allowServiceAccountCredentialLifetimeExtension.',
  );
  const policy =
    account.iamPolicy === undefined ? {} : object(account.iamPolicy, `${path}.iamPolicy`);
  known(policy, `${path}.iamPolicy`, ['bindings', 'etag', 'version']);
  const bindings = array(policy.bindings ?? [], `${path}.iamPolicy.bindings`).map((b, i) => {
    const at = `${path}.iamPolicy.bindings[${i}]`;
    const binding = object(b, at);
    known(binding, at, ['role', 'members', 'condition']);
    check(
      binding.condition === undefined,
      `${at}.condition`,
      'IAM conditions on bindings are not supported by the sandbox',
      'express the restriction in the provider attributeCondition instead.',
    );
    const members = strings(binding.members, `${at}.members`);
    for (const member of members) {
      check(
        MEMBER.test(member),
        `${at}.members`,
        `"${member}" is not an IAM member`,
        'use principal://…/subject/<subject>, principalSet://…/attribute.<name>/<value> or serviceAccount:<email>.',
      );
    }
    return { role: requiredString(binding.role, `${at}.role`), members };
  });
  return {
    email,
    uniqueId,
    disabled: optionalBoolean(account.disabled, `${path}.disabled`) ?? false,
    maxTokenLifetimeSeconds: lifetime,
    iamPolicy: { bindings },
  };
}

const idRule = 'use 4-32 lowercase letters, digits or hyphens, not starting with "gcp-".';

function invalid(path: string, problem: string, fix: string): WifError {
  return new WifError('usage', `Sandbox config ${path}: ${problem}.`, { fix: `Fix: ${fix}` });
}

function check(condition: boolean, path: string, problem: string, fix: string): asserts condition {
  if (!condition) throw invalid(path, problem, fix);
}

function object(value: unknown, path: string): Record<string, unknown> {
  check(
    typeof value === 'object' && value !== null && !Array.isArray(value),
    path,
    'must be an object',
    'see the gcp section of the sandbox config reference.',
  );
  return value as Record<string, unknown>;
}

function known(value: Record<string, unknown>, path: string, keys: readonly string[]): void {
  for (const key of Object.keys(value)) {
    check(
      keys.includes(key),
      `${path}.${key}`,
      'is not a known field',
      `use only ${keys.join(', ')}.`,
    );
  }
}

function array(value: unknown, path: string): unknown[] {
  check(Array.isArray(value), path, 'must be a list', 'write it as a YAML or JSON list.');
  return value;
}

function strings(value: unknown, path: string): string[] {
  return array(value, path).map((item, i) => requiredString(item, `${path}[${i}]`));
}

function requiredString(value: unknown, path: string): string {
  check(
    typeof value === 'string' && value !== '',
    path,
    'must be a non-empty string',
    'quote the value.',
  );
  return value;
}

function optionalString(value: unknown, path: string): string | undefined {
  return value === undefined ? undefined : requiredString(value, path);
}

function optionalBoolean(value: unknown, path: string): boolean | undefined {
  if (value === undefined) return undefined;
  check(
    typeof value === 'boolean',
    path,
    'must be true or false',
    'write true or false without quotes.',
  );
  return value;
}

function unique(values: readonly string[], path: string, what: string): void {
  const seen = new Set<string>();
  for (const value of values) {
    check(
      !seen.has(value),
      path,
      `${what} "${value}" appears twice`,
      `give each entry its own ${what}.`,
    );
    seen.add(value);
  }
}
