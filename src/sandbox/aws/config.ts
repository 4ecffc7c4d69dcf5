import { WifError } from '../../core/errors.ts';
import { issuerHost, providerArnFor, type AwsTrustPolicy } from '../../core/policy/aws.ts';
import { parseAwsAssumeRolePolicy } from '../../core/policy/aws-assume-role.ts';
import { parseRoleArn, type RoleArn } from './params.ts';

/**
 * The `aws-sts` section of the sandbox config: the accounts, the IAM OIDC identity providers
 * registered in them (issuer URL + client-ID list, as `aws iam create-open-id-connect-provider`
 * takes them) and the roles with their trust policies and maximum session durations.
 *
 * Any string may use `${issuer}` (the sandbox issuer's URL) and `${issuerHost}` (that URL as
 * IAM writes it in provider ARNs and condition keys), so a config file keeps working whatever
 * port the issuer got.
 */
export interface AwsStsConfig {
  readonly region: string;
  readonly accounts: readonly string[];
  readonly oidcProviders: readonly OidcProvider[];
  readonly roles: readonly Role[];
}

export interface OidcProvider {
  readonly account: string;
  /** The issuer URL exactly as tokens carry it in `iss`. */
  readonly url: string;
  readonly clientIds: readonly string[];
  /** `arn:aws:iam::<account>:oidc-provider/<host/path>`. */
  readonly arn: string;
}

export interface Role {
  readonly arn: RoleArn;
  /**
   * The trust policy, as the policy engine reads it for both `sts:AssumeRoleWithWebIdentity`
   * (`Principal.Federated` statements) and `sts:AssumeRole` (`Principal.AWS`, role chaining).
   */
  readonly trustPolicy: AwsTrustPolicy;
  /** IAM `MaxSessionDuration`: 3600 to 43200 seconds. */
  readonly maxSessionDuration: number;
}

export const defaultRegion = 'us-east-1';
export const sandboxAccount = '111122223333';

/** Trusts the sandbox issuer's default GitHub job (`octo-org/octo-repo` on `refs/heads/main`). */
export const defaultAwsStsConfig = {
  region: defaultRegion,
  accounts: [sandboxAccount],
  oidcProviders: [{ account: sandboxAccount, url: '${issuer}', clientIds: ['sts.amazonaws.com'] }],
  roles: [
    {
      arn: `arn:aws:iam::${sandboxAccount}:role/wif-sandbox-deploy`,
      maxSessionDuration: 3600,
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'GitHubMainBranch',
            Effect: 'Allow',
            Principal: { Federated: `arn:aws:iam::${sandboxAccount}:oidc-provider/\${issuerHost}` },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: {
                '${issuerHost}:aud': 'sts.amazonaws.com',
                '${issuerHost}:sub': 'repo:octo-org/octo-repo:ref:refs/heads/main',
              },
            },
          },
        ],
      },
    },
    {
      arn: `arn:aws:iam::${sandboxAccount}:role/wif-sandbox-readonly`,
      maxSessionDuration: 3600,
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ChainFromDeploy',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${sandboxAccount}:role/wif-sandbox-deploy` },
            Action: 'sts:AssumeRole',
          },
        ],
      },
    },
  ],
} as const;

/** Validates a raw `aws-sts` section (after placeholder substitution); throws a one-line usage WifError. */
export function readAwsStsConfig(raw: unknown, issuerUrl: string | undefined): AwsStsConfig {
  const section = substitute(raw ?? defaultAwsStsConfig, issuerUrl, 'aws-sts');
  const top = record(section, 'aws-sts');
  allowKeys(top, ['region', 'accounts', 'oidcProviders', 'roles'], 'aws-sts');

  const region = top['region'] ?? defaultRegion;
  if (typeof region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    throw usage(
      `aws-sts.region must be a region name such as us-east-1, got ${JSON.stringify(region)}.`,
    );

  const accounts = list(top['accounts'], 'aws-sts.accounts').map((value, i) => {
    if (typeof value !== 'string' || !/^\d{12}$/.test(value))
      throw usage(
        `aws-sts.accounts[${i}] must be a 12-digit account ID as a string, got ${JSON.stringify(value)}.`,
      );
    return value;
  });
  if (accounts.length === 0) throw usage('aws-sts.accounts must list at least one account ID.');
  duplicates(accounts, 'aws-sts.accounts');

  const oidcProviders = list(top['oidcProviders'] ?? [], 'aws-sts.oidcProviders').map((value, i) =>
    readProvider(value, `aws-sts.oidcProviders[${i}]`, accounts),
  );
  duplicates(
    oidcProviders.map((p) => p.arn),
    'aws-sts.oidcProviders (one provider per issuer and account)',
  );

  const roles = list(top['roles'] ?? [], 'aws-sts.roles').map((value, i) =>
    readRole(value, `aws-sts.roles[${i}]`, accounts),
  );
  duplicates(
    roles.map((r) => r.arn.arn),
    'aws-sts.roles',
  );
  return { region, accounts, oidcProviders, roles };
}

function readProvider(value: unknown, where: string, accounts: readonly string[]): OidcProvider {
  const p = record(value, where);
  allowKeys(p, ['account', 'url', 'clientIds'], where);
  const account = p['account'];
  if (typeof account !== 'string' || !accounts.includes(account))
    throw usage(
      `${where}.account must be one of aws-sts.accounts (${accounts.join(', ')}), got ${JSON.stringify(account)}.`,
    );
  const url = p['url'];
  if (typeof url !== 'string' || !isIssuerUrl(url))
    throw usage(
      `${where}.url must be the issuer URL tokens carry in "iss" (https://…, or http://127.0.0.1:… for the sandbox), got ${JSON.stringify(url)}.`,
    );
  const clientIds = list(p['clientIds'], `${where}.clientIds`).map((id, i) => {
    if (typeof id !== 'string' || id.length < 1 || id.length > 255)
      throw usage(`${where}.clientIds[${i}] must be a string of 1 to 255 characters.`);
    return id;
  });
  // IAM: "You can register up to 100 client IDs with a single IAM OIDC provider."
  if (clientIds.length < 1 || clientIds.length > 100)
    throw usage(`${where}.clientIds must list 1 to 100 audiences (e.g. "sts.amazonaws.com").`);
  return { account, url, clientIds, arn: providerArnFor(account, url) };
}

function readRole(value: unknown, where: string, accounts: readonly string[]): Role {
  const r = record(value, where);
  allowKeys(r, ['arn', 'trustPolicy', 'maxSessionDuration'], where);
  const rawArn = r['arn'];
  const arn = typeof rawArn === 'string' ? parseRoleArn(rawArn) : undefined;
  if (arn === undefined)
    throw usage(
      `${where}.arn must look like arn:aws:iam::<account>:role/<name>, got ${JSON.stringify(rawArn)}.`,
    );
  if (!accounts.includes(arn.account))
    throw usage(`${where}.arn is in account ${arn.account}, which aws-sts.accounts does not list.`);
  const max = r['maxSessionDuration'] ?? 3600;
  // IAM CreateRole: "MaxSessionDuration … from 1 hour to 12 hours" (3600–43200 seconds).
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 3600 || max > 43200)
    throw usage(
      `${where}.maxSessionDuration must be an integer from 3600 to 43200 seconds, got ${JSON.stringify(max)}.`,
    );
  const document = r['trustPolicy'];
  if (document === undefined)
    throw usage(`${where}.trustPolicy is required (the role's trust policy JSON).`);
  const trustPolicy = parseAwsAssumeRolePolicy(document, `${where}.trustPolicy`);
  return { arn, trustPolicy, maxSessionDuration: max };
}

function isIssuerUrl(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.search !== '' || url.hash !== '' || url.username !== '') return false;
    return url.protocol === 'https:' || (url.protocol === 'http:' && url.hostname === '127.0.0.1');
  } catch {
    return false;
  }
}

function substitute(value: unknown, issuerUrl: string | undefined, where: string): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${issuer')) return value;
    if (issuerUrl === undefined)
      throw usage(
        `${where} uses \${issuer}, but no sandbox issuer is running; write the issuer URL instead.`,
      );
    return value
      .replaceAll('${issuerHost}', issuerHost(issuerUrl))
      .replaceAll('${issuer}', issuerUrl);
  }
  if (Array.isArray(value))
    return value.map((item: unknown, i) => substitute(item, issuerUrl, `${where}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[substitute(key, issuerUrl, where) as string] = substitute(
        item,
        issuerUrl,
        `${where}.${key}`,
      );
    }
    return out;
  }
  return value;
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw usage(`${where} must be a JSON object.`);
  return value as Record<string, unknown>;
}

function list(value: unknown, where: string): readonly unknown[] {
  if (!Array.isArray(value)) throw usage(`${where} must be a JSON array.`);
  return value as unknown[];
}

function allowKeys(
  value: Record<string, unknown>,
  allowed: readonly string[],
  where: string,
): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      throw usage(`${where} has unknown key "${key}" (expected ${allowed.join(', ')}).`);
  }
}

function duplicates(values: readonly string[], where: string): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) throw usage(`${where} lists ${value} twice.`);
    seen.add(value);
  }
}

function usage(message: string): WifError {
  return new WifError('usage', message, {
    fix: 'Fix the aws-sts section of the sandbox config file.',
  });
}
