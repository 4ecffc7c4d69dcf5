import {
  evaluateGcpBinding,
  WORKLOAD_IDENTITY_USER,
  type GcpBindingDecision,
} from '../../core/policy/index.ts';
import {
  EXTENDED_LIFETIME_SECONDS,
  TOKEN_CREATOR,
  type GcpConfig,
  type GcpServiceAccount,
} from './config.ts';
import { CLOUD_PLATFORM } from './sts.ts';
import type { AccessTokenStore, IdTokenSigner, IssuedAccessToken } from './tokens.ts';
import { errorInfo, googleError, invalidJsonPayload, type WireResponse } from './wire.ts';

/**
 * IAM Service Account Credentials API v1, the two methods federation uses:
 * https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/generateAccessToken
 * https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/generateIdToken
 * Resource `projects/-/serviceAccounts/{ACCOUNT_EMAIL_OR_UNIQUEID}` ("The `-` wildcard
 * character is required; replacing it with a project ID is invalid"), custom verbs after a
 * colon, a Bearer access token, JSON bodies, the Google API error envelope.
 */
export type IamCredentialsVerb = 'generateAccessToken' | 'generateIdToken';

export interface IamCredentialsRequest {
  readonly project: string;
  readonly account: string;
  readonly verb: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

export interface IamCredentialsDependencies {
  readonly config: GcpConfig;
  readonly store: AccessTokenStore;
  readonly signer: IdTokenSigner;
  readonly now: () => number;
  readonly onDecision?: (decision: GcpBindingDecision) => void;
}

const permissionOf: Record<IamCredentialsVerb, string> = {
  generateAccessToken: 'iam.serviceAccounts.getAccessToken',
  generateIdToken: 'iam.serviceAccounts.getOpenIdToken',
};

const bodyFields: Record<IamCredentialsVerb, readonly string[]> = {
  generateAccessToken: ['delegates', 'scope', 'lifetime'],
  // useEmailAzp is not in the reference page but google-auth-library sends it and Google accepts it.
  generateIdToken: [
    'delegates',
    'audience',
    'includeEmail',
    'organizationNumberIncluded',
    'useEmailAzp',
  ],
};

/** Scopes that let a caller use the IAM Credentials API (its reference page lists both). */
const CALLER_SCOPES: readonly string[] = [CLOUD_PLATFORM, 'https://www.googleapis.com/auth/iam'];
const ID_TOKEN_LIFETIME_SECONDS = 3600;

export async function handleIamCredentials(
  request: IamCredentialsRequest,
  deps: IamCredentialsDependencies,
): Promise<WireResponse> {
  const verb = request.verb;
  if (verb !== 'generateAccessToken' && verb !== 'generateIdToken') {
    return googleError(
      'NOT_FOUND',
      `Method "${verb}" is not served by this emulator (generateAccessToken, generateIdToken).`,
    );
  }
  const now = deps.now();
  const caller = authenticate(request.authorization, deps.store, now);
  if ('status' in caller) return caller;
  if (!caller.scopes.some((scope) => CALLER_SCOPES.includes(scope))) {
    return googleError('PERMISSION_DENIED', 'Request had insufficient authentication scopes.', [
      errorInfo('ACCESS_TOKEN_SCOPE_INSUFFICIENT', 'googleapis.com', {
        service: 'iamcredentials.googleapis.com',
        method: `google.iam.credentials.v1.IAMCredentials.${capitalize(verb)}`,
      }),
    ]);
  }
  const name = `projects/${request.project}/serviceAccounts/${request.account}`;
  if (request.project !== '-') {
    return googleError(
      'INVALID_ARGUMENT',
      `Invalid resource name "${name}": the project must be the "-" wildcard, as in projects/-/serviceAccounts/${request.account}.`,
    );
  }
  const parsed = parseBody(request.body, bodyFields[verb]);
  if (!parsed.ok) return parsed.response;
  const body = parsed.fields;

  const permission = permissionOf[verb];
  const denied = permissionDenied(permission, name);
  const delegates = stringList(body.delegates, 'delegates');
  if (typeof delegates === 'string') return googleError('INVALID_ARGUMENT', delegates);
  const chain: GcpServiceAccount[] = [];
  for (const delegate of delegates) {
    const match = /^projects\/-\/serviceAccounts\/([^/]+)$/.exec(delegate);
    if (match === null) {
      return googleError(
        'INVALID_ARGUMENT',
        `Invalid delegate "${delegate}": use projects/-/serviceAccounts/{ACCOUNT_EMAIL_OR_UNIQUEID}.`,
      );
    }
    const account = findAccount(deps.config, match[1] ?? '');
    if (account === undefined) return denied;
    chain.push(account);
  }
  const target = findAccount(deps.config, request.account);
  // Through the `-` wildcard a missing account answers 403, not 404 (documented).
  if (target === undefined) return denied;
  chain.push(target);
  if (!authorized(caller, chain, deps)) return denied;

  if (verb === 'generateAccessToken') return accessToken(body, target, deps, now);
  return idToken(body, target, deps, now);
}

type Caller = IssuedAccessToken;

function authenticate(
  authorization: string | undefined,
  store: AccessTokenStore,
  now: number,
): Caller | WireResponse {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (match === null) {
    return googleError(
      'UNAUTHENTICATED',
      'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      [
        errorInfo('CREDENTIALS_MISSING', 'googleapis.com', {
          service: 'iamcredentials.googleapis.com',
        }),
      ],
    );
  }
  const token = store.lookup(match[1] ?? '', now);
  if (token === undefined) {
    return googleError(
      'UNAUTHENTICATED',
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      [
        errorInfo('ACCESS_TOKEN_TYPE_UNSUPPORTED', 'googleapis.com', {
          service: 'iamcredentials.googleapis.com',
        }),
      ],
    );
  }
  return token;
}

function permissionDenied(permission: string, resource: string): WireResponse {
  return googleError(
    'PERMISSION_DENIED',
    `Permission '${permission}' denied on resource (or it may not exist).`,
    [errorInfo('IAM_PERMISSION_DENIED', 'iam.googleapis.com', { permission, resource })],
  );
}

/**
 * The caller must hold a token-minting role on the first account of the chain, and each
 * account must hold Service Account Token Creator on the next (documented for `delegates`).
 * The policy engine matches every caller against the bindings: a federated caller by the
 * `principal://` and `principalSet://` members, a service account by its `serviceAccount:` one.
 */
function authorized(
  caller: Caller,
  chain: readonly GcpServiceAccount[],
  deps: IamCredentialsDependencies,
): boolean {
  const [first, ...rest] = chain;
  if (first === undefined || first.disabled) return false;
  if (!callerMayUse(caller, first, deps)) return false;
  let previous = first;
  for (const next of rest) {
    if (next.disabled || !serviceAccountHolds(next, previous.email, deps)) return false;
    previous = next;
  }
  return true;
}

function callerMayUse(
  caller: Caller,
  account: GcpServiceAccount,
  deps: IamCredentialsDependencies,
): boolean {
  if (caller.kind === 'service-account') return serviceAccountHolds(account, caller.email, deps);
  const principal = { pool: caller.pool, subject: caller.subject, attributes: caller.attributes };
  // Either role carries the permission; the refusal reported is the Workload Identity User one.
  const decisions = [WORKLOAD_IDENTITY_USER, TOKEN_CREATOR].map((role) =>
    evaluateGcpBinding(account.iamPolicy, principal, { role }),
  );
  if (decisions.some((d) => d.accepted)) return true;
  if (decisions[0] !== undefined) deps.onDecision?.(decisions[0]);
  return false;
}

/** Whether `email` holds Service Account Token Creator on `account`; a refusal is reported. */
function serviceAccountHolds(
  account: GcpServiceAccount,
  email: string,
  deps: IamCredentialsDependencies,
): boolean {
  const caller = { kind: 'service-account', email } as const;
  const decision = evaluateGcpBinding(account.iamPolicy, caller, { role: TOKEN_CREATOR });
  if (!decision.accepted) deps.onDecision?.(decision);
  return decision.accepted;
}

function findAccount(config: GcpConfig, emailOrId: string): GcpServiceAccount | undefined {
  return config.serviceAccounts.find((a) => a.email === emailOrId || a.uniqueId === emailOrId);
}

function accessToken(
  body: Readonly<Record<string, unknown>>,
  account: GcpServiceAccount,
  deps: IamCredentialsDependencies,
  now: number,
): WireResponse {
  const scopes = stringList(body.scope, 'scope');
  if (typeof scopes === 'string') return googleError('INVALID_ARGUMENT', scopes);
  if (scopes.length === 0) return googleError('INVALID_ARGUMENT', 'Scope required.');
  // Measured: a lone empty scope is read as cloud-platform.
  const granted = scopes.length === 1 && scopes[0] === '' ? [CLOUD_PLATFORM] : scopes;
  const badScope = granted.find((scope) => !isScope(scope));
  if (badScope !== undefined)
    return googleError('INVALID_ARGUMENT', `Invalid scope "${badScope}".`);

  const lifetime = parseDuration(body.lifetime ?? '3600s');
  if (lifetime === undefined) {
    return googleError(
      'INVALID_ARGUMENT',
      `Invalid value at 'lifetime' (type.googleapis.com/google.protobuf.Duration), ${JSON.stringify(body.lifetime)}`,
    );
  }
  if (lifetime <= 0)
    return googleError('INVALID_ARGUMENT', 'Lifetime of access token must be larger then zero.');
  if (lifetime > account.maxTokenLifetimeSeconds) {
    return googleError(
      'INVALID_ARGUMENT',
      account.maxTokenLifetimeSeconds < EXTENDED_LIFETIME_SECONDS
        ? 'can not have lifetimes of more than 1 hour. Use the Org Policy Constraint constraints/iam.allowServiceAccountCredentialLifetimeExtension to allow up to 12 hours.'
        : 'can not have lifetimes of more than 12 hours.',
    );
  }
  const expiresAt = now + Math.floor(lifetime * 1000);
  const token = deps.store.issue(
    {
      kind: 'service-account',
      scopes: granted,
      expiresAt,
      email: account.email,
      uniqueId: account.uniqueId,
    },
    now,
  );
  return { status: 200, body: { accessToken: token, expireTime: rfc3339(expiresAt) } };
}

async function idToken(
  body: Readonly<Record<string, unknown>>,
  account: GcpServiceAccount,
  deps: IamCredentialsDependencies,
  now: number,
): Promise<WireResponse> {
  const audience = body.audience;
  if (typeof audience !== 'string' || audience === '') {
    return googleError(
      'INVALID_ARGUMENT',
      'Invalid value for "audience": a non-empty string is required.',
    );
  }
  for (const flag of ['includeEmail', 'organizationNumberIncluded', 'useEmailAzp']) {
    if (body[flag] !== undefined && typeof body[flag] !== 'boolean') {
      return googleError(
        'INVALID_ARGUMENT',
        `Invalid value at '${flag}' (TYPE_BOOL), ${JSON.stringify(body[flag])}`,
      );
    }
  }
  const token = await deps.signer.sign(
    {
      audience,
      email: account.email,
      uniqueId: account.uniqueId,
      includeEmail: body.includeEmail === true,
      emailAzp: body.useEmailAzp === true,
      lifetimeSeconds: ID_TOKEN_LIFETIME_SECONDS,
    },
    now,
  );
  return { status: 200, body: { token } };
}

type ParsedBody =
  | { readonly ok: true; readonly fields: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly response: WireResponse };

function parseBody(text: string, allowed: readonly string[]): ParsedBody {
  const invalid = (problem: string): ParsedBody => ({
    ok: false,
    response: invalidJsonPayload(problem),
  });
  if (text.trim() === '') return { ok: true, fields: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return invalid('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return invalid('The request body must be a JSON object.');
  }
  const unknown = Object.keys(parsed).find((key) => !allowed.includes(key));
  if (unknown !== undefined) return invalid(`Unknown name "${unknown}": Cannot find field.`);
  return { ok: true, fields: parsed as Record<string, unknown> };
}

function stringList(value: unknown, field: string): readonly string[] | string {
  if (value === undefined) return [];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  return `Invalid value at '${field}': expected a list of strings.`;
}

/** A google.protobuf.Duration in JSON: decimal seconds with an `s` suffix, e.g. `3600s`, `1.5s`. */
function parseDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(-?\d{1,12})(\.\d{1,9})?s$/.exec(value);
  return match === null ? undefined : Number(value.slice(0, -1));
}

function isScope(scope: string): boolean {
  return (
    /^https:\/\/www\.googleapis\.com\/auth\/[a-z0-9._/-]+$/.test(scope) ||
    ['openid', 'email', 'profile'].includes(scope)
  );
}

/** RFC 3339 with whole seconds, as Google renders `expireTime`. */
function rfc3339(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function capitalize(verb: string): string {
  return verb.charAt(0).toUpperCase() + verb.slice(1);
}
