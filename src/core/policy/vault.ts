import { WifError } from '../errors.ts';
import type { Claims } from '../token/claims.ts';
import { audiences } from '../token/claims.ts';
import type { ConditionTrace, PolicyDecision } from './decision.ts';
import { ABSENT, renderValue, withHint } from './decision.ts';
import { hintFor } from './hints.ts';
import { wildcardMatch } from './match.ts';

/**
 * HashiCorp Vault JWT auth roles (`auth/<mount>/role/<name>`) as a JWT login checks them, with
 * `bound_issuer` from the mount config. The error text is what Vault puts in `{"errors":[…]}`.
 */

export type VaultClaimValue = string | number | boolean;

export interface VaultJwtRole {
  readonly name?: string;
  readonly roleType: 'jwt' | 'oidc';
  readonly boundAudiences: readonly string[];
  /** Empty means not bound. */
  readonly boundSubject: string;
  /** Claim name or JSON pointer (`/a/b`) → accepted values (any of them). */
  readonly boundClaims: Readonly<Record<string, readonly VaultClaimValue[]>>;
  readonly boundClaimsType: 'string' | 'glob';
  readonly userClaim: string;
  readonly userClaimJsonPointer: boolean;
  /** Seconds as configured: 0 means the default, -1 disables the leeway. */
  readonly clockSkewLeeway: number;
  readonly expirationLeeway: number;
  readonly notBeforeLeeway: number;
  /** Claim (or JSON pointer) → metadata key. */
  readonly claimMappings: Readonly<Record<string, string>>;
}

export interface VaultJwtConfig {
  readonly boundIssuer?: string;
  readonly defaultRole?: string;
}

export interface VaultLoginOptions {
  /** Seconds since the epoch; evaluation is pure given `now`. */
  readonly now: number;
  /**
   * `documented` (default) follows Vault's API docs: `expiration_leeway` extends `exp`,
   * `not_before_leeway` extends `nbf`, and a `claim_mappings` entry for a missing claim fails.
   * `plugin` follows vault-plugin-auth-jwt: with `exp`/`nbf` present only `clock_skew_leeway`
   * applies, and missing mapped claims are skipped.
   */
  readonly behaviour?: 'documented' | 'plugin';
}

export interface VaultDecision extends PolicyDecision {
  readonly format: 'vault';
  /** The HTTP status and the message Vault returns in `errors`, when the login is refused. */
  readonly error?: { readonly status: 400 | 403; readonly message: string };
  /** Token metadata on success: `role` plus every `claim_mappings` target. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** The `user_claim` value that names the entity alias, on success. */
  readonly aliasName?: string;
}

const DEFAULT_CLOCK_SKEW = 60;
const DEFAULT_EXPIRATION = 150;
const DEFAULT_NOT_BEFORE = 150;

// ---------------------------------------------------------------------------------------------
// Parsing

/** Parses `vault read -format=json auth/<mount>/role/<role>` output, or its bare `data` object. */
export function parseVaultRole(document: unknown, source = 'Vault role'): VaultJwtRole {
  const data = isRecord(document) && isRecord(document['data']) ? document['data'] : document;
  if (!isRecord(data)) throw usage(`${source} is not a JSON object.`);
  const roleType = data['role_type'] ?? 'oidc';
  if (roleType !== 'jwt' && roleType !== 'oidc') {
    throw usage(`${source}: role_type ${JSON.stringify(roleType)} is neither "jwt" nor "oidc".`);
  }
  const userClaim = data['user_claim'];
  if (typeof userClaim !== 'string' || userClaim === '')
    throw usage(`${source} has no user_claim.`);
  const boundClaimsType = data['bound_claims_type'] ?? 'string';
  if (boundClaimsType !== 'string' && boundClaimsType !== 'glob') {
    throw usage(`${source}: bound_claims_type must be "string" or "glob".`);
  }
  const name = typeof data['name'] === 'string' ? { name: data['name'] } : {};
  return {
    ...name,
    roleType,
    boundAudiences: stringList(data['bound_audiences'], `${source} bound_audiences`),
    boundSubject: typeof data['bound_subject'] === 'string' ? data['bound_subject'] : '',
    boundClaims: parseBoundClaims(data['bound_claims'], source),
    boundClaimsType,
    userClaim,
    userClaimJsonPointer: data['user_claim_json_pointer'] === true,
    clockSkewLeeway: seconds(data['clock_skew_leeway'], `${source} clock_skew_leeway`),
    expirationLeeway: seconds(data['expiration_leeway'], `${source} expiration_leeway`),
    notBeforeLeeway: seconds(data['not_before_leeway'], `${source} not_before_leeway`),
    claimMappings: parseMappings(data['claim_mappings'], source),
  };
}

/** Parses `vault read -format=json auth/<mount>/config` output, or its bare `data` object. */
export function parseVaultConfig(document: unknown, source = 'Vault auth config'): VaultJwtConfig {
  const data = isRecord(document) && isRecord(document['data']) ? document['data'] : document;
  if (!isRecord(data)) throw usage(`${source} is not a JSON object.`);
  const issuer = data['bound_issuer'];
  const role = data['default_role'];
  return {
    ...(typeof issuer === 'string' && issuer !== '' ? { boundIssuer: issuer } : {}),
    ...(typeof role === 'string' && role !== '' ? { defaultRole: role } : {}),
  };
}

function parseBoundClaims(
  raw: unknown,
  source: string,
): Record<string, readonly VaultClaimValue[]> {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) throw usage(`${source}: bound_claims must be an object.`);
  const out: Record<string, readonly VaultClaimValue[]> = {};
  for (const [claim, value] of Object.entries(raw)) {
    const items = Array.isArray(value) ? (value as unknown[]) : [value];
    out[claim] = items.map((item) => {
      if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')
        return item;
      throw usage(`${source}: bound_claims.${claim} values must be strings, numbers or booleans.`);
    });
  }
  return out;
}

function parseMappings(raw: unknown, source: string): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw) || !Object.values(raw).every((v) => typeof v === 'string')) {
    throw usage(`${source}: claim_mappings must map claims to metadata keys.`);
  }
  return raw as Record<string, string>;
}

function stringList(raw: unknown, where: string): readonly string[] {
  if (raw === undefined || raw === null) return [];
  const items = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  return items.map((item) => {
    if (typeof item !== 'string') throw usage(`${where} must be a list of strings.`);
    return item;
  });
}

function seconds(raw: unknown, where: string): number {
  if (raw === undefined || raw === null) return 0;
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= -1) return raw;
  if (typeof raw === 'string' && /^-?\d+s?$/.test(raw)) return Number.parseInt(raw, 10);
  throw usage(`${where} must be a whole number of seconds (0 = default, -1 = disabled).`);
}

// ---------------------------------------------------------------------------------------------
// Evaluation

function effective(configured: number, fallback: number): number {
  if (configured === -1) return 0;
  return configured === 0 ? fallback : configured;
}

/** Reads a claim by name, or by JSON pointer when the key starts with `/`. */
function claimAt(claims: Claims, key: string): unknown {
  if (!key.startsWith('/')) return claims[key];
  let node: unknown = claims;
  for (const raw of key.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

export function evaluateVaultRole(
  role: VaultJwtRole,
  config: VaultJwtConfig,
  claims: Claims,
  options: VaultLoginOptions,
): VaultDecision {
  const trace: ConditionTrace[] = [];
  const subject = `role ${role.name ?? '(unnamed)'}`;
  const failures: { message: string; status: 400 | 403; hint: string | undefined }[] = [];
  const check = (
    entry: Omit<ConditionTrace, 'subject'>,
    message: string,
    hint?: () => string | undefined,
  ): void => {
    trace.push({ subject, ...entry });
    if (!entry.passed) failures.push({ message, status: 400, hint: hint?.() });
  };
  const documented = (options.behaviour ?? 'documented') === 'documented';

  check(
    {
      claim: 'role_type',
      operator: 'equals',
      expected: 'jwt',
      actual: role.roleType,
      passed: role.roleType === 'jwt',
    },
    'role with oidc role_type is not allowed',
    () =>
      'the role has role_type "oidc" (Vault\'s default); CI logins need `role_type=jwt` on the role.',
  );

  const iss = typeof claims.iss === 'string' ? claims.iss : undefined;
  if (config.boundIssuer !== undefined) {
    const want = config.boundIssuer;
    check(
      {
        claim: 'iss',
        operator: 'bound_issuer',
        expected: want,
        actual: iss ?? ABSENT,
        passed: iss === want,
      },
      'error validating token: invalid issuer (iss) claim',
      () => hintFor({ claim: 'iss', expected: [want], actual: iss, claims }),
    );
  }

  const auds = audiences(claims);
  if (role.boundAudiences.length === 0) {
    check(
      {
        claim: 'aud',
        operator: 'bound_audiences',
        expected: '(none bound)',
        actual: auds.length === 0 ? ABSENT : renderValue(auds),
        passed: auds.length === 0,
        note: 'a role without bound_audiences refuses tokens that carry aud (Vault ≥ 1.16.3)',
      },
      'audience claim found in JWT but no audiences bound to the role',
      () =>
        `the token carries aud ${renderValue(auds)} but the role has no bound_audiences; set bound_audiences=${auds[0] ?? '<aud>'} on the role.`,
    );
  } else {
    const passed = auds.some((aud) => role.boundAudiences.includes(aud));
    check(
      {
        claim: 'aud',
        operator: 'bound_audiences',
        expected: renderValue(role.boundAudiences),
        actual: auds.length === 0 ? ABSENT : renderValue(auds),
        passed,
      },
      'error validating token: invalid audience (aud) claim',
      () => hintFor({ claim: 'aud', expected: role.boundAudiences, actual: auds[0], claims }),
    );
  }

  if (role.boundSubject !== '') {
    const sub = typeof claims.sub === 'string' ? claims.sub : undefined;
    check(
      {
        claim: 'sub',
        operator: 'bound_subject',
        expected: role.boundSubject,
        actual: sub ?? ABSENT,
        passed: sub === role.boundSubject,
      },
      'error validating token: invalid subject (sub) claim',
      () => hintFor({ claim: 'sub', expected: [role.boundSubject], actual: sub, claims }),
    );
  }

  checkTimes(role, claims, options.now, documented, check);

  const user = role.userClaimJsonPointer ? claimAt(claims, role.userClaim) : claims[role.userClaim];
  const userOk = typeof user === 'string' || typeof user === 'number' || typeof user === 'boolean';
  check(
    {
      claim: role.userClaim,
      operator: 'user_claim',
      expected: 'present',
      actual: renderValue(user),
      passed: userOk,
    },
    user === undefined
      ? `claim "${role.userClaim}" not found in token`
      : `claim "${role.userClaim}" could not be converted to string`,
    () =>
      `user_claim is ${role.userClaim}, which this token does not carry as a string; pick a claim every token has (e.g. sub).`,
  );

  for (const [claim, expected] of Object.entries(role.boundClaims)) {
    const actual = claimAt(claims, claim);
    const values =
      actual === undefined ? [] : Array.isArray(actual) ? (actual as unknown[]) : [actual];
    const passed = values.some((value) =>
      expected.some((want) => boundMatches(want, value, role.boundClaimsType)),
    );
    const typeNote = values.some((v) =>
      expected.some((w) => typeof w !== typeof v && String(w) === String(v)),
    )
      ? { note: 'same text, different JSON type (string vs number/boolean)' }
      : {};
    check(
      {
        claim,
        operator: `bound_claims (${role.boundClaimsType})`,
        expected: renderValue(expected),
        actual: renderValue(actual),
        passed,
        ...typeNote,
      },
      actual === undefined
        ? `error validating claims: claim "${claim}" is missing`
        : `error validating claims: claim "${claim}" does not match any associated bound claim values`,
      () => boundHint(role, claim, expected, actual, claims),
    );
  }

  const metadata: Record<string, string> = { role: role.name ?? '' };
  for (const [claim, target] of Object.entries(role.claimMappings)) {
    const value = claimAt(claims, claim);
    if (value === undefined) {
      if (documented) {
        check(
          {
            claim,
            operator: 'claim_mappings',
            expected: `present (→ ${target})`,
            actual: ABSENT,
            passed: false,
            note: 'documented to fail; the plugin skips it',
          },
          `claim "${claim}" not found in token`,
          () => `claim_mappings maps ${claim}, which this token does not carry.`,
        );
      }
      continue;
    }
    metadata[target] = typeof value === 'string' ? value : JSON.stringify(value);
  }

  const first = failures[0];
  if (first === undefined) {
    return { format: 'vault', accepted: true, trace, metadata, aliasName: renderValue(user) };
  }
  return withHint(
    {
      format: 'vault',
      accepted: false,
      trace,
      error: { status: first.status, message: first.message },
    },
    first.hint,
  );
}

type Check = (
  entry: Omit<ConditionTrace, 'subject'>,
  message: string,
  hint?: () => string | undefined,
) => void;

function checkTimes(
  role: VaultJwtRole,
  claims: Claims,
  now: number,
  documented: boolean,
  check: Check,
): void {
  const skew = effective(role.clockSkewLeeway, DEFAULT_CLOCK_SKEW);
  const exp = claims.exp;
  if (typeof exp === 'number') {
    const leeway = documented ? effective(role.expirationLeeway, DEFAULT_EXPIRATION) : skew;
    const limit = exp + leeway;
    check(
      {
        claim: 'exp',
        operator: `+ ${leeway} s leeway ≥ now`,
        expected: `≥ ${isoTime(now - leeway)}`,
        actual: isoTime(exp),
        passed: now <= limit,
        note: documented ? 'expiration_leeway (documented)' : 'clock_skew_leeway (plugin)',
      },
      'error validating token: token is expired (exp)',
      () =>
        `the token expired at ${isoTime(exp)}, ${now - exp} s ago (leeway ${leeway} s); request a fresh token right before login.`,
    );
  }
  const nbf = claims.nbf;
  if (typeof nbf === 'number') {
    const leeway = documented ? effective(role.notBeforeLeeway, DEFAULT_NOT_BEFORE) : skew;
    check(
      {
        claim: 'nbf',
        operator: `− ${leeway} s leeway ≤ now`,
        expected: `≤ ${isoTime(now + leeway)}`,
        actual: isoTime(nbf),
        passed: now >= nbf - leeway,
      },
      'error validating token: token not valid yet (nbf)',
      () =>
        `the token is not valid until ${isoTime(nbf)}; check the clocks of the issuer and Vault.`,
    );
  }
}

/** A token's times shown as UTC; a value no Date can hold (a hostile `exp`) stays a number. */
function isoTime(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString().replace('.000Z', 'Z');
}

function boundMatches(want: VaultClaimValue, actual: unknown, type: 'string' | 'glob'): boolean {
  if (type === 'glob' && typeof want === 'string' && typeof actual === 'string') {
    return wildcardMatch(want, actual, { questionMark: false });
  }
  return want === actual;
}

function boundHint(
  role: VaultJwtRole,
  claim: string,
  expected: readonly VaultClaimValue[],
  actual: unknown,
  claims: Claims,
): string | undefined {
  const strings = expected.filter((e): e is string => typeof e === 'string');
  if (
    typeof actual === 'string' &&
    role.boundClaimsType === 'string' &&
    strings.some((e) => e.includes('*') && wildcardMatch(e, actual, { questionMark: false }))
  ) {
    return `bound_claims.${claim} uses \`*\` but bound_claims_type is "string" (exact); set bound_claims_type=glob.`;
  }
  if (
    role.boundClaimsType === 'glob' &&
    typeof actual === 'string' &&
    strings.some((e) => e.includes('?'))
  ) {
    const near = strings.find((e) => wildcardMatch(e, actual, { questionMark: true }));
    if (near !== undefined)
      return `\`?\` in Vault glob bound claims is literal, not a single-character wildcard; \`${near}\` does not match \`${actual}\`.`;
  }
  if (
    (typeof actual === 'string' || typeof actual === 'number' || typeof actual === 'boolean') &&
    expected.some((e) => typeof e !== typeof actual && String(e) === String(actual))
  ) {
    return `claim ${claim} is ${JSON.stringify(actual)} (${typeof actual}) and the role expects ${renderValue(expected.map((e) => JSON.stringify(e)))}: the JSON types differ.`;
  }
  return hintFor({
    claim: claim.startsWith('/') ? claim.slice(1) : claim,
    expected: expected.map(String),
    actual:
      typeof actual === 'string'
        ? actual
        : actual === undefined
          ? undefined
          : JSON.stringify(actual),
    claims,
    ...(role.boundClaimsType === 'glob' ? { wildcards: 'star' as const } : {}),
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function usage(message: string): WifError {
  return new WifError('usage', message, {
    fix: 'Export the role with `vault read -format=json auth/<mount>/role/<role>`.',
  });
}
