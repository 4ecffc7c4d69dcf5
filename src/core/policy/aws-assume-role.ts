import { WifError } from '../errors.ts';
import type { AwsCondition, AwsStatement, AwsTrustPolicy, ConditionInput } from './aws.ts';
import {
  actionMatches,
  isNegated,
  parseAwsTrustPolicy,
  traceConditions,
  traceDenyEffect,
} from './aws.ts';
import type { ConditionTrace, PolicyDecision } from './decision.ts';
import { ABSENT, renderValue, withHint } from './decision.ts';

/**
 * AWS IAM role trust policies, as STS evaluates them for `sts:AssumeRole` called by a role
 * session (role chaining). The same parsed policy serves `sts:AssumeRoleWithWebIdentity` in
 * aws.ts; here only `Principal.AWS` statements can match.
 *
 * A statement applies when its principal names the caller, its action covers `sts:AssumeRole`
 * and every condition holds; an applicable Deny wins over any Allow; without an applicable Allow
 * the call is refused. Principal forms (IAM User Guide, "AWS JSON policy elements: Principal"):
 * a role ARN matches every session of that role, an assumed-role session ARN that one session,
 * an account ID or `arn:<partition>:iam::<account>:root` every principal of the account (the
 * account then delegates to identity policies, which a trust policy alone cannot show), `*`
 * everyone. Principal ARNs take no partial wildcards, so they are compared exactly.
 */

export const ASSUME_ROLE_ACTION = 'sts:AssumeRole';

/**
 * The condition keys of an `sts:AssumeRole` request context this engine fills in (IAM User
 * Guide, "AWS global condition context keys" and "IAM and AWS STS condition context keys").
 * `aws:PrincipalArn` of a role session is the role's ARN, not the session's.
 */
export const AWS_ASSUME_ROLE_CONDITION_KEYS = [
  'sts:ExternalId',
  'aws:PrincipalArn',
  'aws:PrincipalAccount',
] as const;

/** A role session calling `sts:AssumeRole`. */
export interface AwsRoleSessionCaller {
  readonly partition: string;
  readonly account: string;
  /** `arn:<partition>:iam::<account>:role/<path/>name`, the role the session belongs to. */
  readonly roleArn: string;
  /** `arn:<partition>:sts::<account>:assumed-role/<name>/<session>`. */
  readonly sessionArn: string;
}

export interface AwsAssumeRoleRequest {
  readonly caller: AwsRoleSessionCaller;
  /** The role being assumed, named in the refusal as STS names it. */
  readonly roleArn?: string;
  /** The `ExternalId` request parameter; undefined when the caller sent none. */
  readonly externalId?: string;
}

export interface AwsAssumeRoleDecision extends PolicyDecision {
  readonly format: 'aws';
  /** The STS error a real endpoint answers with when refused. */
  readonly error?: { readonly code: 'AccessDenied'; readonly message: string };
  /** The `Sid`/index of an applicable Deny, when one decided the refusal. */
  readonly deniedBy?: string;
  /** The `Sid`/index of the Allow that granted the call. */
  readonly allowedBy?: string;
}

/**
 * Parses a trust policy as {@link parseAwsTrustPolicy} does, and refuses a condition on an
 * `sts:AssumeRole` statement whose key this engine cannot fill in: evaluating it as absent
 * would answer differently from AWS, where the key is present.
 */
export function parseAwsAssumeRolePolicy(
  document: unknown,
  source = 'trust policy',
): AwsTrustPolicy {
  const policy = parseAwsTrustPolicy(document, source);
  for (const statement of policy.statements) {
    if (!namesAwsPrincipal(statement)) continue;
    if (!actionMatches(statement.actions, ASSUME_ROLE_ACTION)) continue;
    const unknown = statement.conditions.find((c) => knownKey(c.key) === undefined);
    if (unknown !== undefined) {
      throw new WifError(
        'usage',
        `${source}: statement ${statement.id} conditions sts:AssumeRole on ${unknown.key}, which wif cannot evaluate (it evaluates ${AWS_ASSUME_ROLE_CONDITION_KEYS.join(', ')}).`,
        {
          fix: `Remove the ${unknown.key} condition, or test this role against real AWS.`,
        },
      );
    }
  }
  return policy;
}

type ContextEntry = ConditionInput;

interface StatementResult {
  readonly statement: AwsStatement;
  readonly principalOk: boolean;
  readonly actionOk: boolean;
  readonly applies: boolean;
  readonly failures: number;
  readonly firstFailure: { condition: AwsCondition; entry: ContextEntry | undefined } | undefined;
}

export function evaluateAwsAssumeRole(
  policy: AwsTrustPolicy,
  request: AwsAssumeRoleRequest,
): AwsAssumeRoleDecision {
  const { caller } = request;
  const context = requestContext(request);
  const trace: ConditionTrace[] = [];
  const relevant = policy.statements.filter(namesAwsPrincipal);
  if (relevant.length === 0) {
    trace.push({
      subject: 'trust policy',
      claim: 'Principal.AWS',
      operator: 'names the caller',
      expected: ABSENT,
      actual: caller.sessionArn,
      passed: false,
      note: 'no statement names an AWS principal',
    });
  }
  const results = relevant.map((statement) =>
    evaluateStatement(statement, request, context, trace),
  );
  const deny = results.find((r) => r.statement.effect === 'Deny' && r.applies);
  const allow = results.find((r) => r.statement.effect === 'Allow' && r.applies);
  if (deny === undefined && allow !== undefined) {
    return { format: 'aws', accepted: true, trace, allowedBy: allow.statement.id };
  }

  const error = {
    code: 'AccessDenied' as const,
    message: `User: ${caller.sessionArn} is not authorized to perform: ${ASSUME_ROLE_ACTION}${request.roleArn === undefined ? '' : ` on resource: ${request.roleArn}`}`,
  };
  if (deny !== undefined) {
    return {
      format: 'aws',
      accepted: false,
      trace,
      error,
      deniedBy: deny.statement.id,
      hint: `statement ${deny.statement.id} explicitly denies ${short(caller.sessionArn, caller)}, and an explicit Deny overrides every Allow.`,
    };
  }
  return withHint(
    { format: 'aws', accepted: false, trace, error },
    allowHint(results, policy, request),
  );
}

function namesAwsPrincipal(statement: AwsStatement): boolean {
  return statement.anyPrincipal || statement.aws.length > 0;
}

/** The request context keyed by lower-cased key name: AWS compares key names case-insensitively. */
function requestContext(request: AwsAssumeRoleRequest): Map<string, ContextEntry> {
  const context = new Map<string, ContextEntry>();
  if (request.externalId !== undefined)
    context.set('sts:externalid', { values: [request.externalId] });
  context.set('aws:principalarn', { values: [request.caller.roleArn] });
  context.set('aws:principalaccount', { values: [request.caller.account] });
  return context;
}

function knownKey(key: string): string | undefined {
  return AWS_ASSUME_ROLE_CONDITION_KEYS.find((known) => known.toLowerCase() === key.toLowerCase());
}

type PrincipalMatch = 'session' | 'role' | 'account' | 'everyone';

function principalMatch(
  statement: AwsStatement,
  caller: AwsRoleSessionCaller,
): PrincipalMatch | undefined {
  if (statement.anyPrincipal) return 'everyone';
  const forms: readonly [PrincipalMatch, readonly string[]][] = [
    ['session', [caller.sessionArn]],
    ['role', [caller.roleArn]],
    ['account', [caller.account, `arn:${caller.partition}:iam::${caller.account}:root`]],
  ];
  return forms.find(([, names]) => statement.aws.some((p) => names.includes(p)))?.[0];
}

const matchNotes: Readonly<Record<PrincipalMatch, string>> = {
  session: 'names this role session',
  role: 'names the role: every session of it matches',
  account: "names the caller's account: every principal in it matches",
  everyone: '`*` matches every principal',
};

function evaluateStatement(
  statement: AwsStatement,
  request: AwsAssumeRoleRequest,
  context: Map<string, ContextEntry>,
  trace: ConditionTrace[],
): StatementResult {
  const subject = `${statement.effect} ${statement.id}`;
  const matched = principalMatch(statement, request.caller);
  const principalOk = matched !== undefined;
  trace.push({
    subject,
    claim: 'Principal.AWS',
    operator: 'names the caller',
    expected: statement.anyPrincipal ? '*' : renderValue(statement.aws),
    actual: request.caller.sessionArn,
    passed: principalOk,
    ...(matched === undefined ? {} : { note: matchNotes[matched] }),
  });
  const actionOk = actionMatches(statement.actions, ASSUME_ROLE_ACTION);
  trace.push({
    subject,
    claim: statement.actions.negated ? 'NotAction' : 'Action',
    operator: 'allows',
    expected: ASSUME_ROLE_ACTION,
    actual: renderValue(statement.actions.patterns),
    passed: actionOk,
  });
  const conditions = traceConditions(subject, statement, context, trace, absentNote);
  const failures = (principalOk ? 0 : 1) + (actionOk ? 0 : 1) + conditions.failures;
  const applies = failures === 0;
  traceDenyEffect(subject, statement, applies, trace);
  return {
    statement,
    principalOk,
    actionOk,
    applies,
    failures,
    firstFailure: conditions.firstFailure,
  };
}

function absentNote(condition: AwsCondition, entry: ContextEntry | undefined): string | undefined {
  if (entry !== undefined) return undefined;
  if (knownKey(condition.key) === 'sts:ExternalId') return 'the caller sent no ExternalId';
  return 'wif does not fill in this key for sts:AssumeRole; evaluated as absent';
}

function allowHint(
  results: readonly StatementResult[],
  policy: AwsTrustPolicy,
  request: AwsAssumeRoleRequest,
): string | undefined {
  const { caller } = request;
  const who = `the caller is ${short(caller.sessionArn, caller)} (a session of ${short(caller.roleArn, caller)})`;
  const allows = results.filter((r) => r.statement.effect === 'Allow');
  if (allows.length === 0) {
    const federatedOnly = policy.statements.some(
      (s) => s.effect === 'Allow' && s.federated.length > 0,
    );
    const what = federatedOnly
      ? 'trusts only web identity (Principal.Federated)'
      : 'has no Allow statement with a Principal.AWS';
    return `${who}, and the trust policy ${what}; add an Allow statement naming ${caller.roleArn} in Principal.AWS.`;
  }
  const closest = [...allows].sort((a, b) => a.failures - b.failures)[0];
  if (closest === undefined) return undefined;
  const { statement, firstFailure } = closest;
  if (!closest.principalOk) {
    const trusted = statement.aws.map((p) => short(p, caller)).join(', ');
    return `${who}; statement ${statement.id} trusts ${trusted}; name ${caller.roleArn} in its Principal.AWS.`;
  }
  if (!closest.actionOk) {
    return `statement ${statement.id} names the caller but does not allow ${ASSUME_ROLE_ACTION}; add it to Action.`;
  }
  if (firstFailure === undefined) return undefined;
  const { condition, entry } = firstFailure;
  const key = knownKey(condition.key);
  const expected = quoteList(condition.values);
  if (key === 'sts:ExternalId' && entry === undefined) {
    return `statement ${statement.id} requires sts:ExternalId ${expected}, and the caller sent no ExternalId; pass it (wif: role-external-id; AWS CLI: --external-id).`;
  }
  const actual = entry === undefined ? ABSENT : renderValue(entry.values);
  if (isNegated(condition.base) && entry !== undefined) {
    return `statement ${statement.id} requires ${condition.key} not to match ${expected}, and the caller's value \`${actual}\` does.`;
  }
  if (key === 'aws:PrincipalArn') {
    return `aws:PrincipalArn is \`${actual}\` (for a role session it is the role's ARN, not the session's); statement ${statement.id} expects ${condition.operator} ${expected}.`;
  }
  if (entry === undefined) {
    return `statement ${statement.id} conditions on ${condition.key}, which wif does not fill in for sts:AssumeRole.`;
  }
  return `${condition.key} is \`${actual}\`; statement ${statement.id} expects ${condition.operator} ${expected}.`;
}

/** `role/deploy` for an ARN in the caller's account, `account <id>` for an account, else the ARN. */
function short(arn: string, caller: AwsRoleSessionCaller): string {
  const root = /^arn:[\w-]+:iam::(\d{12}):root$/.exec(arn)?.[1];
  if (root !== undefined) return `account ${root}`;
  if (/^\d{12}$/.test(arn)) return `account ${arn}`;
  for (const service of ['iam', 'sts']) {
    const own = `arn:${caller.partition}:${service}::${caller.account}:`;
    if (arn.startsWith(own)) return arn.slice(own.length);
  }
  return arn;
}

function quoteList(values: readonly string[]): string {
  return values.map((value) => `\`${value}\``).join(' or ');
}
