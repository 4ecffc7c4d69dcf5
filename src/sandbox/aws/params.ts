import { stsError, validationError, type StsError } from './sts-error.ts';

/**
 * Request parameters of the STS actions and their documented constraints (STS API
 * reference, "AssumeRoleWithWebIdentity — Request Parameters" and "AssumeRole — Request
 * Parameters"). Violations are collected and reported together, as AWS does
 * ("2 validation errors detected: …").
 */
export type Params = ReadonlyMap<string, string>;

export interface SessionRequest {
  readonly roleArn: string;
  readonly roleSessionName: string;
  /** Undefined when the caller did not send DurationSeconds (STS then uses 3600). */
  readonly durationSeconds: number | undefined;
  readonly policy: string | undefined;
  readonly policyArns: readonly string[];
  /** `MinimumSessionTokenSize`: pad the session token to at least this many bytes (0–4096). */
  readonly minimumSessionTokenSize: number;
}

export interface WebIdentityRequest extends SessionRequest {
  readonly webIdentityToken: string;
  readonly providerId: string | undefined;
}

export interface AssumeRoleRequest extends SessionRequest {
  readonly sourceIdentity: string | undefined;
  /** `ExternalId`, for trust policies that condition on `sts:ExternalId`. */
  readonly externalId: string | undefined;
}

export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: StsError };

/** Session policies: "The plaintext … can't exceed 2,048 characters." */
export const maxPolicyLength = 2048;
/** `MinimumSessionTokenSize` "must not exceed 4,096 bytes" (STS API reference, 2026 model). */
export const maxSessionTokenBytes = 4096;
/** "You can provide up to 10 managed policy ARNs." */
export const maxPolicyArns = 10;

const sessionNamePattern = /^[\w+=,.@-]*$/;
/** ExternalId: "Minimum length of 2. Maximum length of 1224. Pattern: [\w+=,.@:\/-]*". */
const externalIdPattern = /^[\w+=,.@:/-]*$/;
/** The RoleArn constraint's character class: tab, LF, CR and printable text. */
const arnCharacters =
  /^[\t\n\r\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]+$/u;

/** Form fields of a Query request; repeated keys keep the first value, as the SDKs never repeat. */
export function parseForm(text: string): Params {
  const params = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(text)) {
    if (!params.has(key)) params.set(key, value);
  }
  return params;
}

export function parseWebIdentityRequest(params: Params): Parsed<WebIdentityRequest> {
  const violations: string[] = [];
  const session = parseSession(params, violations);
  const webIdentityToken = params.get('WebIdentityToken');
  if (webIdentityToken === undefined) violations.push(nullValue('webIdentityToken'));
  else if (webIdentityToken.length < 4 || webIdentityToken.length > 20000)
    violations.push(
      `Value at 'webIdentityToken' failed to satisfy constraint: Member must have length ${webIdentityToken.length < 4 ? 'greater than or equal to 4' : 'less than or equal to 20000'}`,
    );
  const providerId = params.get('ProviderId');
  if (providerId !== undefined && (providerId.length < 4 || providerId.length > 2048))
    violations.push(lengthViolation('providerId', providerId, 4, 2048));
  const done = finish(session, violations);
  if (!done.ok) return done;
  return {
    ok: true,
    value: { ...done.value, webIdentityToken: webIdentityToken ?? '', providerId },
  };
}

export function parseAssumeRoleRequest(params: Params): Parsed<AssumeRoleRequest> {
  const violations: string[] = [];
  const session = parseSession(params, violations);
  const sourceIdentity = params.get('SourceIdentity');
  if (sourceIdentity !== undefined) {
    if (sourceIdentity.length < 2 || sourceIdentity.length > 64)
      violations.push(lengthViolation('sourceIdentity', sourceIdentity, 2, 64));
    else if (!sessionNamePattern.test(sourceIdentity))
      violations.push(patternViolation('sourceIdentity', sourceIdentity));
  }
  const externalId = params.get('ExternalId');
  if (externalId !== undefined) {
    if (externalId.length < 2 || externalId.length > 1224)
      violations.push(lengthViolation('externalId', externalId, 2, 1224));
    else if (!externalIdPattern.test(externalId))
      violations.push(
        `Value '${externalId}' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*`,
      );
  }
  const done = finish(session, violations);
  if (!done.ok) return done;
  return { ok: true, value: { ...done.value, sourceIdentity, externalId } };
}

function parseSession(params: Params, violations: string[]): SessionRequest {
  const roleArn = params.get('RoleArn');
  if (roleArn === undefined) violations.push(nullValue('roleArn'));
  else if (roleArn.length < 20 || roleArn.length > 2048)
    violations.push(lengthViolation('roleArn', roleArn, 20, 2048));
  else if (!arnCharacters.test(roleArn))
    violations.push(
      `Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+`,
    );

  const roleSessionName = params.get('RoleSessionName');
  if (roleSessionName === undefined) violations.push(nullValue('roleSessionName'));
  else if (roleSessionName.length < 2 || roleSessionName.length > 64)
    violations.push(lengthViolation('roleSessionName', roleSessionName, 2, 64));
  else if (!sessionNamePattern.test(roleSessionName))
    violations.push(patternViolation('roleSessionName', roleSessionName));

  let durationSeconds: number | undefined;
  const rawDuration = params.get('DurationSeconds');
  if (rawDuration !== undefined) {
    const n = /^-?\d{1,10}$/.test(rawDuration) ? Number(rawDuration) : Number.NaN;
    if (Number.isNaN(n))
      violations.push(
        `Value '${rawDuration}' at 'durationSeconds' failed to satisfy constraint: Member must be an integer`,
      );
    else if (n < 900)
      violations.push(
        `Value '${n}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`,
      );
    else if (n > 43200)
      violations.push(
        `Value '${n}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200`,
      );
    else durationSeconds = n;
  }

  // Session policies can echo secrets pasted by mistake; AWS leaves their value out, so do we.
  const policy = params.get('Policy');
  if (policy !== undefined && (policy.length < 1 || policy.length > maxPolicyLength))
    violations.push(
      `Value at 'policy' failed to satisfy constraint: Member must have length ${policy.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${maxPolicyLength}`}`,
    );

  const policyArns = memberList(params, 'PolicyArns', 'arn');
  if (policyArns.length > maxPolicyArns)
    violations.push(
      `Value '[${policyArns.map((arn) => `PolicyDescriptorType(arn=${arn})`).join(', ')}]' at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to ${maxPolicyArns}`,
    );
  policyArns.forEach((arn, index) => {
    if (arn.length < 20 || arn.length > 2048)
      violations.push(lengthViolation(`policyArns.${index + 1}.member.arn`, arn, 20, 2048));
  });

  let minimumSessionTokenSize = 0;
  const rawMinimum = params.get('MinimumSessionTokenSize');
  if (rawMinimum !== undefined) {
    const n = /^\d{1,10}$/.test(rawMinimum) ? Number(rawMinimum) : Number.NaN;
    if (Number.isNaN(n) || n > maxSessionTokenBytes)
      violations.push(
        `Value '${rawMinimum}' at 'minimumSessionTokenSize' failed to satisfy constraint: Member must have value less than or equal to ${maxSessionTokenBytes}`,
      );
    else minimumSessionTokenSize = n;
  }

  return {
    roleArn: roleArn ?? '',
    roleSessionName: roleSessionName ?? '',
    durationSeconds,
    policy,
    policyArns,
    minimumSessionTokenSize,
  };
}

function finish<T extends SessionRequest>(session: T, violations: readonly string[]): Parsed<T> {
  if (violations.length > 0) return { ok: false, error: validationError(violations) };
  if (session.policy !== undefined) {
    try {
      const parsed: unknown = JSON.parse(session.policy);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        return {
          ok: false,
          error: stsError('MalformedPolicyDocument', 'Syntax errors in policy.'),
        };
    } catch {
      return { ok: false, error: stsError('MalformedPolicyDocument', 'Syntax errors in policy.') };
    }
  }
  return { ok: true, value: session };
}

/** `Name.member.1.field`, `Name.member.2.field`, … in order, stopping at the first gap. */
function memberList(params: Params, name: string, field: string): string[] {
  const values: string[] = [];
  // Bounded: the Query protocol numbers members from 1 without gaps; 100 is far past any limit.
  for (let i = 1; i <= 100; i += 1) {
    const value = params.get(`${name}.member.${i}.${field}`);
    if (value === undefined) break;
    values.push(value);
  }
  return values;
}

function nullValue(member: string): string {
  return `Value null at '${member}' failed to satisfy constraint: Member must not be null`;
}

function lengthViolation(member: string, value: string, min: number, max: number): string {
  const bound =
    value.length < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`;
  return `Value '${value}' at '${member}' failed to satisfy constraint: Member must have length ${bound}`;
}

function patternViolation(member: string, value: string): string {
  return `Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`;
}

/** Parses `arn:aws:iam::<account>:role/<path/>name`; STS answers "Request ARN is invalid" otherwise. */
export interface RoleArn {
  readonly partition: string;
  readonly account: string;
  /** The role name without its path, as used in `assumed-role/<name>/<session>`. */
  readonly name: string;
  readonly arn: string;
}

export function parseRoleArn(arn: string): RoleArn | undefined {
  const match =
    /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/.exec(
      arn,
    );
  if (match === null) return undefined;
  const [, partition, account, , name] = match;
  if (partition === undefined || account === undefined || name === undefined) return undefined;
  return { partition, account, name, arn };
}
