import { WifError } from '../errors.ts';
import { ASSUME_ACTION, TAG_SESSION_ACTION } from './actions.ts';
import type { Claims } from '../token/claims.ts';
import { audiences } from '../token/claims.ts';
import type { ConditionTrace, PolicyDecision } from './decision.ts';
import { ABSENT, renderValue, withHint } from './decision.ts';
import { hintFor } from './hints.ts';
import { wildcardMatch } from './match.ts';

/**
 * AWS IAM role trust policies, as STS evaluates them for `sts:AssumeRoleWithWebIdentity`:
 * a statement applies when its principal, action and every condition match; an applicable
 * Deny wins over any Allow; without an applicable Allow the call is refused.
 */

export { ASSUME_ACTION, TAG_SESSION_ACTION };

/**
 * GitHub claims AWS puts in the request context for GitHub's issuer, beside `aud` and `sub`.
 * Any other claim is absent from the context, whatever the token carries.
 */
export const AWS_GITHUB_CONDITION_CLAIMS = [
  'actor',
  'actor_id',
  'job_workflow_ref',
  'repository',
  'repository_id',
  'workflow',
  'ref',
  'environment',
  'enterprise_id',
] as const;

const BASE_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'Null',
  'Bool',
  'ArnEquals',
  'ArnNotEquals',
  'ArnLike',
  'ArnNotLike',
] as const;
export type AwsBaseOperator = (typeof BASE_OPERATORS)[number];

export interface AwsCondition {
  /** The operator exactly as written, e.g. `ForAllValues:StringLikeIfExists`. */
  readonly operator: string;
  readonly base: AwsBaseOperator;
  readonly set: 'ForAnyValue' | 'ForAllValues' | undefined;
  readonly ifExists: boolean;
  /** The condition key as written; AWS compares key names case-insensitively. */
  readonly key: string;
  readonly values: readonly string[];
}

export interface AwsStatement {
  /** `Sid`, or `Statement[<index>]` when the statement has none. */
  readonly id: string;
  readonly effect: 'Allow' | 'Deny';
  /** `*` as a principal matches every caller. */
  readonly anyPrincipal: boolean;
  readonly federated: readonly string[];
  /**
   * `Principal.AWS` entries other than `*`: account IDs, `arn:…:root`, role and assumed-role
   * ARNs. Only `sts:AssumeRole` (see aws-assume-role.ts) can match them; web identity never does.
   */
  readonly aws: readonly string[];
  readonly actions: { readonly negated: boolean; readonly patterns: readonly string[] };
  readonly conditions: readonly AwsCondition[];
}

export interface AwsTrustPolicy {
  readonly statements: readonly AwsStatement[];
}

export interface AwsTrustRequest {
  readonly claims: Claims;
  /**
   * The OIDC provider ARNs the account has registered for an issuer. When omitted, a
   * `Principal.Federated` ARN matches when its `oidc-provider/<host/path>` names the issuer.
   */
  readonly providerArns?: (issuer: string) => readonly string[];
  /**
   * The provider's client-ID list. STS requires the token's `aud` to be on it independently of
   * the policy; when omitted the check is skipped (explain does not know the provider).
   */
  readonly clientIds?: readonly string[];
  /** True when the token carries session tags (`https://aws.amazon.com/tags`): `sts:TagSession` must be allowed too. */
  readonly sessionTags?: boolean;
}

export interface AwsDecision extends PolicyDecision {
  readonly format: 'aws';
  /** The STS error a real endpoint answers with when refused. */
  readonly error?: {
    readonly code: 'AccessDenied' | 'InvalidIdentityToken';
    readonly message: string;
  };
  /** The `Sid`/index of an applicable Deny, when one decided the refusal. */
  readonly deniedBy?: string;
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** Accepts a trust policy as an object or as the JSON / URL-encoded JSON string `get-role` shows. */
export function parseAwsTrustPolicy(document: unknown, source = 'trust policy'): AwsTrustPolicy {
  const value = typeof document === 'string' ? parsePolicyString(document, source) : document;
  if (!isRecord(value)) throw usage(`${source} is not a JSON object.`);
  const raw = value['Statement'];
  if (raw === undefined) throw usage(`${source} has no Statement.`);
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  return { statements: list.map((statement, index) => parseStatement(statement, index, source)) };
}

function parsePolicyString(text: string, source: string): unknown {
  const trimmed = text.trim();
  const json =
    trimmed.startsWith('%7B') || trimmed.startsWith('%7b') ? safeDecode(trimmed, source) : trimmed;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw usage(`${source} is not valid JSON.`);
  }
}

function safeDecode(text: string, source: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw usage(`${source} is URL-encoded but cannot be decoded.`);
  }
}

function parseStatement(raw: unknown, index: number, source: string): AwsStatement {
  if (!isRecord(raw)) throw usage(`${source}: Statement[${index}] is not an object.`);
  const sid = raw['Sid'];
  const id = typeof sid === 'string' && sid !== '' ? sid : `Statement[${index}]`;
  const where = `${source}: statement ${id}`;
  const effect = raw['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') {
    throw usage(`${where} has Effect ${JSON.stringify(effect)}; it must be "Allow" or "Deny".`);
  }
  if (raw['NotPrincipal'] !== undefined) {
    throw usage(
      `${where} uses NotPrincipal, which role trust policies for web identity do not support.`,
    );
  }
  const { anyPrincipal, federated, aws } = parsePrincipal(raw['Principal'], where);
  const actionRaw = raw['Action'] ?? raw['NotAction'];
  if (actionRaw === undefined) throw usage(`${where} has neither Action nor NotAction.`);
  const patterns = stringList(actionRaw, `${where} Action`);
  const conditions = parseConditions(raw['Condition'], where);
  return {
    id,
    effect,
    anyPrincipal,
    federated,
    aws,
    actions: { negated: raw['Action'] === undefined, patterns },
    conditions,
  };
}

function parsePrincipal(
  raw: unknown,
  where: string,
): { anyPrincipal: boolean; federated: readonly string[]; aws: readonly string[] } {
  if (raw === undefined) throw usage(`${where} has no Principal.`);
  if (raw === '*') return { anyPrincipal: true, federated: [], aws: [] };
  if (!isRecord(raw)) throw usage(`${where} has a Principal that is neither "*" nor an object.`);
  const awsRaw = raw['AWS'];
  const aws = awsRaw === undefined ? [] : stringList(awsRaw, `${where} Principal.AWS`);
  // IAM: `"AWS": "*"` is the same as `"Principal": "*"`, also inside a list.
  if (aws.includes('*')) return { anyPrincipal: true, federated: [], aws: [] };
  const federated = raw['Federated'];
  return {
    anyPrincipal: false,
    federated: federated === undefined ? [] : stringList(federated, `${where} Principal.Federated`),
    aws,
  };
}

function parseConditions(raw: unknown, where: string): readonly AwsCondition[] {
  if (raw === undefined) return [];
  if (!isRecord(raw)) throw usage(`${where} has a Condition that is not an object.`);
  const out: AwsCondition[] = [];
  for (const [operator, block] of Object.entries(raw)) {
    const parsed = parseOperator(operator, where);
    if (!isRecord(block)) throw usage(`${where}: condition ${operator} is not an object of keys.`);
    for (const [key, values] of Object.entries(block)) {
      out.push({
        operator,
        ...parsed,
        key,
        values: stringList(values, `${where} ${operator} ${key}`),
      });
    }
  }
  return out;
}

function parseOperator(
  operator: string,
  where: string,
): { base: AwsBaseOperator; set: AwsCondition['set']; ifExists: boolean } {
  let rest = operator;
  let set: AwsCondition['set'];
  for (const prefix of ['ForAnyValue', 'ForAllValues'] as const) {
    if (rest.startsWith(`${prefix}:`)) {
      set = prefix;
      rest = rest.slice(prefix.length + 1);
    }
  }
  const ifExists = rest.endsWith('IfExists');
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  const base = BASE_OPERATORS.find((name) => name === rest);
  if (base === undefined || (base === 'Null' && (ifExists || set !== undefined))) {
    const near = BASE_OPERATORS.find((name) => name.toLowerCase() === rest.toLowerCase());
    const fix =
      near === undefined ? '' : ` (did you mean ${near}? operator names are case-sensitive)`;
    throw usage(`${where} uses unknown condition operator ${operator}${fix}.`);
  }
  return { base, set, ifExists };
}

function stringList(raw: unknown, where: string): readonly string[] {
  const items = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  return items.map((item) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number' || typeof item === 'boolean') return String(item);
    throw usage(`${where} must be a string or a list of strings.`);
  });
}

// ---------------------------------------------------------------------------------------------
// Request context

/** `https://token.actions.githubusercontent.com/` → `token.actions.githubusercontent.com`. */
export function issuerHost(issuer: string): string {
  return issuer.replace(/^https:\/\//, '').replace(/\/+$/, '');
}

export function providerArnFor(account: string, issuer: string): string {
  return `arn:aws:iam::${account}:oidc-provider/${issuerHost(issuer)}`;
}

interface ContextEntry extends ConditionInput {
  /** The token claim behind the key. */
  readonly claim: string;
}

/** The request context STS builds from a web-identity token, keyed by lower-cased key name. */
function requestContext(claims: Claims): Map<string, ContextEntry> {
  const context = new Map<string, ContextEntry>();
  const iss = typeof claims.iss === 'string' ? claims.iss : undefined;
  if (iss === undefined) return context;
  const host = issuerHost(iss).toLowerCase();
  const put = (claim: string, values: readonly string[]): void => {
    if (values.length > 0) context.set(`${host}:${claim}`, { values, claim });
  };
  put('aud', audiences(claims));
  if (typeof claims.sub === 'string') put('sub', [claims.sub]);
  const amr = claims['amr'];
  if (typeof amr === 'string') put('amr', [amr]);
  if (Array.isArray(amr))
    put(
      'amr',
      amr.filter((v): v is string => typeof v === 'string'),
    );
  if (isGitHubIssuer(host)) {
    for (const claim of AWS_GITHUB_CONDITION_CLAIMS) {
      const value = claims[claim];
      if (typeof value === 'string') put(claim, [value]);
    }
  }
  return context;
}

function isGitHubIssuer(host: string): boolean {
  return (
    host === 'token.actions.githubusercontent.com' ||
    host.startsWith('token.actions.githubusercontent.com/')
  );
}

// ---------------------------------------------------------------------------------------------
// Evaluation

interface StatementResult {
  readonly statement: AwsStatement;
  readonly applies: boolean;
  readonly failures: number;
  readonly firstFailure: { condition: AwsCondition; entry: ContextEntry | undefined } | undefined;
}

export function evaluateAwsTrust(policy: AwsTrustPolicy, request: AwsTrustRequest): AwsDecision {
  const { claims } = request;
  const iss = typeof claims.iss === 'string' ? claims.iss : '';
  const context = requestContext(claims);
  const trace: ConditionTrace[] = [];

  if (request.providerArns !== undefined && iss !== '' && request.providerArns(iss).length === 0) {
    // STS refuses before it reads the trust policy when the account has no provider for iss.
    trace.push({
      subject: 'account',
      claim: 'iss',
      operator: 'has OIDC provider',
      expected: `oidc-provider/${issuerHost(iss)}`,
      actual: iss,
      passed: false,
    });
    return {
      format: 'aws',
      accepted: false,
      trace,
      error: {
        code: 'InvalidIdentityToken',
        message: `No OpenIDConnect provider found in your account for ${iss}`,
      },
      hint: `the account has no IAM OIDC provider for ${iss}; create one (aws iam create-open-id-connect-provider --url ${iss}).`,
    };
  }
  const audienceOk = checkClientIds(request, trace);
  const actions =
    request.sessionTags === true ? [ASSUME_ACTION, TAG_SESSION_ACTION] : [ASSUME_ACTION];
  const results = policy.statements.map((statement) =>
    evaluateStatement(statement, actions, iss, request, context, trace),
  );

  const deny = results.find((r) => r.statement.effect === 'Deny' && r.applies);
  const allowedActions = actions.filter((action) =>
    results.some(
      (r) =>
        r.statement.effect === 'Allow' && r.applies && actionMatches(r.statement.actions, action),
    ),
  );
  const accepted = audienceOk && deny === undefined && allowedActions.length === actions.length;
  if (accepted) return { format: 'aws', accepted, trace };

  if (!audienceOk) {
    const hint = hintFor({
      claim: 'aud',
      expected: request.clientIds ?? [],
      actual: audiences(claims)[0],
      claims,
    });
    const error = { code: 'InvalidIdentityToken' as const, message: 'Incorrect token audience' };
    return withHint({ format: 'aws', accepted, trace, error }, hint);
  }
  const error = {
    code: 'AccessDenied' as const,
    message: `Not authorized to perform ${ASSUME_ACTION}`,
  };
  if (deny !== undefined) {
    return {
      format: 'aws',
      accepted,
      trace,
      error,
      deniedBy: deny.statement.id,
      hint: `statement ${deny.statement.id} explicitly denies this token, and an explicit Deny overrides every Allow.`,
    };
  }
  const missingTag = actions.find((action) => !allowedActions.includes(action));
  const hint =
    missingTag === TAG_SESSION_ACTION && allowedActions.includes(ASSUME_ACTION)
      ? `the token carries session tags (https://aws.amazon.com/tags), so the trust policy must also allow ${TAG_SESSION_ACTION}; add it to the Allow statement's Action.`
      : allowHint(results, claims, iss, request.providerArns);
  return withHint({ format: 'aws', accepted, trace, error }, hint);
}

function checkClientIds(request: AwsTrustRequest, trace: ConditionTrace[]): boolean {
  if (request.clientIds === undefined) return true;
  const auds = audiences(request.claims);
  const passed = auds.some((aud) => request.clientIds?.includes(aud) === true);
  trace.push({
    subject: 'OIDC provider',
    claim: 'aud',
    operator: 'in client-ID list',
    expected: renderValue(request.clientIds),
    actual: auds.length === 0 ? ABSENT : renderValue(auds),
    passed,
  });
  return passed;
}

function evaluateStatement(
  statement: AwsStatement,
  actions: readonly string[],
  iss: string,
  request: AwsTrustRequest,
  context: Map<string, ContextEntry>,
  trace: ConditionTrace[],
): StatementResult {
  const subject = `${statement.effect} ${statement.id}`;
  const principalOk = principalMatches(statement, iss, request.providerArns);
  trace.push({
    subject,
    claim: 'Principal.Federated',
    operator: 'provider for iss',
    expected: statement.anyPrincipal ? '*' : renderValue(statement.federated),
    actual: iss === '' ? ABSENT : iss,
    passed: principalOk,
  });
  // One line per action the request needs: a statement that allows only one of them still
  // leaves the other refused (e.g. sts:TagSession when the token carries session tags).
  let actionOk = false;
  for (const action of actions) {
    const ok = actionMatches(statement.actions, action);
    actionOk ||= ok;
    trace.push({
      subject,
      claim: statement.actions.negated ? 'NotAction' : 'Action',
      operator: 'allows',
      expected: action,
      actual: renderValue(statement.actions.patterns),
      passed: ok,
    });
  }
  const conditions = traceConditions(subject, statement, context, trace, (condition, entry) =>
    absentNote(condition, entry, iss),
  );
  const failures = (principalOk ? 0 : 1) + (actionOk ? 0 : 1) + conditions.failures;
  const applies = failures === 0;
  traceDenyEffect(subject, statement, applies, trace);
  return { statement, applies, failures, firstFailure: conditions.firstFailure };
}

/** A request-context value a condition key reads; web identity and AssumeRole fill their own. */
export interface ConditionInput {
  readonly values: readonly string[];
}

/**
 * Evaluates every condition of a statement, one trace line each. A failed condition carries
 * the operator's own note or, failing that, `failureNote` (why the key is absent, say).
 */
export function traceConditions<E extends ConditionInput>(
  subject: string,
  statement: AwsStatement,
  context: ReadonlyMap<string, E>,
  trace: ConditionTrace[],
  failureNote: (condition: AwsCondition, entry: E | undefined) => string | undefined,
): {
  failures: number;
  firstFailure: { condition: AwsCondition; entry: E | undefined } | undefined;
} {
  let failures = 0;
  let firstFailure: { condition: AwsCondition; entry: E | undefined } | undefined;
  for (const condition of statement.conditions) {
    const entry = context.get(condition.key.toLowerCase());
    const result = evaluateCondition(condition, entry?.values);
    const note = result.note ?? (result.passed ? undefined : failureNote(condition, entry));
    trace.push({
      subject,
      claim: condition.key,
      operator: condition.operator,
      expected: renderValue(condition.values),
      actual: entry === undefined ? ABSENT : renderValue(entry.values),
      passed: result.passed,
      ...(note === undefined ? {} : { note }),
    });
    if (!result.passed) {
      failures += 1;
      firstFailure ??= { condition, entry };
    }
  }
  return { failures, firstFailure };
}

/** A Deny statement's verdict line: it refuses only when everything in it applies. */
export function traceDenyEffect(
  subject: string,
  statement: AwsStatement,
  applies: boolean,
  trace: ConditionTrace[],
): void {
  if (statement.effect !== 'Deny') return;
  trace.push({
    subject,
    claim: 'Effect',
    operator: 'Deny',
    expected: 'does not apply',
    actual: applies ? 'applies' : 'does not apply',
    passed: !applies,
  });
}

function principalMatches(
  statement: AwsStatement,
  iss: string,
  providerArns: AwsTrustRequest['providerArns'],
): boolean {
  if (statement.anyPrincipal) return true;
  if (iss === '') return false;
  if (providerArns !== undefined) {
    const registered = providerArns(iss);
    return statement.federated.some((arn) => registered.includes(arn));
  }
  const want = issuerHost(iss).toLowerCase();
  return statement.federated.some((arn) => {
    const match = /^arn:aws[\w-]*:iam::\d{12}:oidc-provider\/(.+)$/.exec(arn);
    return match?.[1]?.toLowerCase() === want;
  });
}

export function actionMatches(actions: AwsStatement['actions'], action: string): boolean {
  const hit = actions.patterns.some((pattern) =>
    wildcardMatch(pattern, action, { questionMark: true, ignoreCase: true }),
  );
  return actions.negated ? !hit : hit;
}

interface ConditionResult {
  readonly passed: boolean;
  readonly note?: string;
}

/** One operator, one key: values within the key are OR-ed (NOR for the negated operators). */
export function evaluateCondition(
  condition: AwsCondition,
  actual: readonly string[] | undefined,
): ConditionResult {
  const { base, set, ifExists, values } = condition;
  if (base === 'Null') {
    const wantAbsent = values.some((v) => v.toLowerCase() === 'true');
    return { passed: wantAbsent === (actual === undefined) };
  }
  if (actual === undefined) {
    if (ifExists) return { passed: true, note: 'key absent: …IfExists treats it as a match' };
    if (set === 'ForAllValues') {
      return { passed: true, note: 'key absent: ForAllValues is true for an empty set' };
    }
    if (set === 'ForAnyValue') return { passed: false };
    return { passed: isNegated(base) };
  }
  const one = (value: string): boolean => singleValueMatch(base, values, value);
  if (set === 'ForAllValues') return { passed: actual.every(one) };
  if (isNegated(base) && set === undefined) return { passed: actual.every(one) };
  return { passed: actual.some(one) };
}

export function isNegated(base: AwsBaseOperator): boolean {
  return (
    base === 'StringNotEquals' ||
    base === 'StringNotEqualsIgnoreCase' ||
    base === 'StringNotLike' ||
    base === 'ArnNotEquals' ||
    base === 'ArnNotLike'
  );
}

function singleValueMatch(
  base: AwsBaseOperator,
  expected: readonly string[],
  value: string,
): boolean {
  switch (base) {
    case 'StringEquals':
      return expected.includes(value);
    case 'StringNotEquals':
      return !expected.includes(value);
    case 'StringEqualsIgnoreCase':
      return expected.some((e) => e.toLowerCase() === value.toLowerCase());
    case 'StringNotEqualsIgnoreCase':
      return !expected.some((e) => e.toLowerCase() === value.toLowerCase());
    case 'StringLike':
      return expected.some((e) => wildcardMatch(e, value, { questionMark: true }));
    case 'StringNotLike':
      return !expected.some((e) => wildcardMatch(e, value, { questionMark: true }));
    case 'Bool':
      return expected.some((e) => e.toLowerCase() === value.toLowerCase());
    case 'ArnEquals':
    case 'ArnLike':
      return expected.some((e) => arnMatch(e, value));
    case 'ArnNotEquals':
    case 'ArnNotLike':
      return !expected.some((e) => arnMatch(e, value));
    case 'Null':
      return false;
  }
}

/**
 * IAM User Guide, "Condition operators — Amazon Resource Name (ARN)": ArnEquals and ArnLike
 * alike match case-sensitively, each of the six colon-delimited components on its own, each
 * allowing `*` and `?`. So `*` never reaches across a colon before the resource part, whose own
 * colons belong to it.
 */
function arnMatch(pattern: string, value: string): boolean {
  const want = arnComponents(pattern);
  const got = arnComponents(value);
  if (want === undefined || got === undefined) return false;
  return want.every((part, i) => wildcardMatch(part, got[i] ?? '', { questionMark: true }));
}

function arnComponents(arn: string): readonly string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

function absentNote(
  condition: AwsCondition,
  entry: ContextEntry | undefined,
  iss: string,
): string | undefined {
  if (entry !== undefined) return undefined;
  const [keyHost, claim] = splitKey(condition.key);
  if (claim === undefined) return 'key not in the request context';
  if (iss !== '' && keyHost.toLowerCase() !== issuerHost(iss).toLowerCase()) {
    return `key names issuer ${keyHost}, but the token comes from ${issuerHost(iss)}`;
  }
  if (
    isGitHubIssuer(keyHost.toLowerCase()) &&
    !['aud', 'sub', 'amr', ...AWS_GITHUB_CONDITION_CLAIMS].includes(claim)
  ) {
    return `AWS does not expose the GitHub claim ${claim} as a condition key; it is always absent`;
  }
  return 'the token has no such claim';
}

function splitKey(key: string): [string, string | undefined] {
  const at = key.lastIndexOf(':');
  if (at <= 0) return [key, undefined];
  return [key.slice(0, at), key.slice(at + 1)];
}

function allowHint(
  results: readonly StatementResult[],
  claims: Claims,
  iss: string,
  providerArns: AwsTrustRequest['providerArns'],
): string | undefined {
  const allows = results.filter((r) => r.statement.effect === 'Allow');
  if (allows.length === 0) return 'the trust policy has no Allow statement.';
  const closest = [...allows].sort((a, b) => a.failures - b.failures)[0];
  if (closest === undefined) return undefined;
  const { statement, firstFailure } = closest;
  if (!principalMatches(statement, iss, providerArns)) {
    if (iss === '') return 'the token has no iss claim.';
    return `statement ${statement.id} trusts ${renderValue(statement.federated)}, not the OIDC provider for the token's issuer ${iss} (${issuerHost(iss)}).`;
  }
  if (!actionMatches(statement.actions, ASSUME_ACTION)) {
    return `statement ${statement.id} does not allow ${ASSUME_ACTION}; add it to Action.`;
  }
  if (firstFailure === undefined) return undefined;
  const { condition, entry } = firstFailure;
  const note = absentNote(condition, entry, iss);
  const [, claim] = splitKey(condition.key);
  if (
    entry === undefined &&
    note !== undefined &&
    claim !== undefined &&
    note.startsWith('AWS does not')
  ) {
    return `${condition.key} is never in the request context: AWS exposes only aud, sub and ${AWS_GITHUB_CONDITION_CLAIMS.join(', ')} for GitHub's issuer; condition on sub instead.`;
  }
  if (entry === undefined && note?.startsWith('key names issuer') === true) {
    return `condition key ${condition.key} names another issuer; the token's keys are ${issuerHost(iss)}:…`;
  }
  if (isNegated(condition.base) && entry !== undefined) {
    return `statement ${statement.id} requires ${condition.key} not to match ${renderValue(condition.values)}, and the token's value ${renderValue(entry.values)} does.`;
  }
  const wildcards = ['StringLike', 'ArnLike', 'ArnEquals'].includes(condition.base)
    ? ('star-and-question' as const)
    : undefined;
  const actual = entry?.values[0];
  return hintFor({
    claim: entry?.claim ?? claim ?? condition.key,
    expected: condition.values,
    actual,
    claims,
    ...(wildcards === undefined ? {} : { wildcards }),
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function usage(message: string): WifError {
  return new WifError('usage', message, {
    fix: 'Export the role with `aws iam get-role --role-name <role> --output json` or pass the trust policy JSON.',
  });
}
