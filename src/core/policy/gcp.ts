import { WifError } from '../errors.ts';
import type { Claims } from '../token/claims.ts';
import { audiences } from '../token/claims.ts';
import { celSyntaxError, evaluateCel, topLevelConjuncts } from './cel.ts';
import type { ConditionTrace, PolicyDecision } from './decision.ts';
import { ABSENT, renderValue, withHint } from './decision.ts';
import { hintFor } from './hints.ts';

/**
 * GCP workload identity pool providers (OIDC) as Google STS evaluates them, and the IAM
 * binding on a service account that lets the federated principal impersonate it.
 */

export interface GcpProvider {
  /** `projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>`. */
  readonly name: string;
  readonly disabled: boolean;
  readonly issuerUri: string;
  /** Empty means the provider's own resource name is the only accepted audience. */
  readonly allowedAudiences: readonly string[];
  /** Attribute name (`google.subject`, `attribute.repository`, …) → CEL over `assertion`. */
  readonly attributeMapping: Readonly<Record<string, string>>;
  readonly attributeCondition?: string;
}

export type GcpAttributeValue = string | readonly string[];

/** The refusal Google STS sends, as OAuth error fields. */
export interface GcpStsError {
  readonly status: 400 | 401 | 403;
  readonly error: 'invalid_request' | 'invalid_grant' | 'invalid_target' | 'unauthorized_client';
  readonly description: string;
}

export interface GcpProviderDecision extends PolicyDecision {
  readonly format: 'gcp';
  /** Mapped attributes keyed as in the mapping minus nothing (`google.subject`, `attribute.repo`). */
  readonly attributes: Readonly<Record<string, GcpAttributeValue>>;
  /** `google.subject`, when it was mapped to a valid value. */
  readonly subject?: string;
  readonly error?: GcpStsError;
}

export interface GcpProviderRequest {
  /** The STS `audience` parameter; when given it must name this provider. */
  readonly requestedAudience?: string;
}

const IAM_PREFIX = '//iam.googleapis.com/';
const SUBJECT_LIMIT_BYTES = 127;

// ---------------------------------------------------------------------------------------------
// Parsing

/** Parses `gcloud iam workload-identity-pools providers describe --format json` output. */
export function parseGcpProvider(document: unknown, source = 'GCP provider'): GcpProvider {
  if (!isRecord(document)) throw usage(`${source} is not a JSON object.`);
  const name = document['name'];
  if (typeof name !== 'string' || !/\/workloadIdentityPools\/[^/]+\/providers\/[^/]+$/.test(name)) {
    throw usage(
      `${source} has no provider resource name (projects/…/workloadIdentityPools/<pool>/providers/<id>).`,
    );
  }
  const oidc = document['oidc'];
  if (!isRecord(oidc) || typeof oidc['issuerUri'] !== 'string') {
    throw usage(`${source} is not an OIDC provider (no oidc.issuerUri).`);
  }
  const allowed = oidc['allowedAudiences'] ?? [];
  if (!Array.isArray(allowed) || !allowed.every((a) => typeof a === 'string')) {
    throw usage(`${source}: oidc.allowedAudiences must be a list of strings.`);
  }
  const mapping = document['attributeMapping'] ?? {};
  if (!isRecord(mapping) || !Object.values(mapping).every((v) => typeof v === 'string')) {
    throw usage(`${source}: attributeMapping must map attribute names to CEL strings.`);
  }
  const attributeMapping = mapping as Record<string, string>;
  for (const [attribute, expression] of Object.entries(attributeMapping)) {
    const error = celSyntaxError(expression);
    if (error !== undefined)
      throw usage(`${source}: attribute mapping ${attribute} is not valid CEL: ${error}`);
  }
  const condition = document['attributeCondition'];
  if (condition !== undefined && typeof condition !== 'string') {
    throw usage(`${source}: attributeCondition must be a CEL string.`);
  }
  if (typeof condition === 'string') {
    const error = celSyntaxError(condition);
    if (error !== undefined)
      throw usage(`${source}: attributeCondition is not valid CEL: ${error}`);
  }
  const base = {
    name,
    disabled: document['disabled'] === true || document['state'] === 'DELETED',
    issuerUri: oidc['issuerUri'],
    allowedAudiences: allowed,
    attributeMapping,
  };
  return typeof condition === 'string' && condition.trim() !== ''
    ? { ...base, attributeCondition: condition }
    : base;
}

/** The pool resource name a provider belongs to. */
export function poolOf(providerName: string): string {
  return providerName.replace(/\/providers\/[^/]+$/, '');
}

/** The audiences Google accepts when `allowedAudiences` is empty. */
export function defaultAudiences(providerName: string): readonly string[] {
  return [`${IAM_PREFIX}${providerName}`, `https://iam.googleapis.com/${providerName}`];
}

// ---------------------------------------------------------------------------------------------
// Provider evaluation

export function evaluateGcpProvider(
  provider: GcpProvider,
  claims: Claims,
  request: GcpProviderRequest = {},
): GcpProviderDecision {
  const trace: ConditionTrace[] = [];
  const subject = `provider ${provider.name.split('/').pop() ?? provider.name}`;
  const line = (entry: Omit<ConditionTrace, 'subject'>): boolean => {
    trace.push({ subject, ...entry });
    return entry.passed;
  };
  const refuse = (error: GcpStsError, hint?: string): GcpProviderDecision =>
    withHint({ format: 'gcp', accepted: false, trace, attributes, error }, hint);
  let attributes: Record<string, GcpAttributeValue> = {};

  if (
    !line({
      claim: 'provider',
      operator: 'enabled',
      expected: 'true',
      actual: String(!provider.disabled),
      passed: !provider.disabled,
    })
  ) {
    return refuse(
      {
        status: 400,
        error: 'invalid_grant',
        description: 'The identity pool provider is disabled.',
      },
      'the workload identity provider is disabled or deleted; enable it (gcloud iam workload-identity-pools providers undelete/update --no-disabled).',
    );
  }
  if (request.requestedAudience !== undefined) {
    const want = `${IAM_PREFIX}${provider.name}`;
    const ok = line({
      claim: 'audience (request)',
      operator: 'names provider',
      expected: want,
      actual: request.requestedAudience,
      passed: request.requestedAudience === want,
    });
    if (!ok) {
      return refuse(
        {
          status: 400,
          error: 'invalid_request',
          description:
            'Invalid value for "audience". This value should be the full resource name of the Identity Provider.',
        },
        `the STS audience must be the provider's full resource name \`${want}\` (project number, not ID).`,
      );
    }
  }
  const iss = typeof claims.iss === 'string' ? claims.iss : undefined;
  if (
    !line({
      claim: 'iss',
      operator: 'equals',
      expected: provider.issuerUri,
      actual: iss ?? ABSENT,
      passed: iss === provider.issuerUri,
    })
  ) {
    return refuse(
      {
        status: 400,
        error: 'invalid_grant',
        description: `The issuer in the token does not match the expected issuer ${provider.issuerUri}.`,
      },
      hintFor({ claim: 'iss', expected: [provider.issuerUri], actual: iss, claims }),
    );
  }
  const accepted =
    provider.allowedAudiences.length > 0
      ? provider.allowedAudiences
      : defaultAudiences(provider.name);
  const auds = audiences(claims);
  const audOk = auds.some((aud) => accepted.includes(aud));
  line({
    claim: 'aud',
    operator: 'any in',
    expected: renderValue(accepted),
    actual: auds.length === 0 ? ABSENT : renderValue(auds),
    passed: audOk,
    ...(provider.allowedAudiences.length === 0
      ? { note: 'allowedAudiences is empty: the provider resource name is the audience' }
      : {}),
  });
  if (!audOk) {
    return refuse(
      {
        status: 400,
        error: 'invalid_grant',
        description: 'The audience in JWT does not match the expected values.',
      },
      hintFor({ claim: 'aud', expected: accepted, actual: auds[0], claims }),
    );
  }

  const mapped = mapAttributes(provider, claims, line);
  attributes = mapped.attributes;
  if (mapped.error !== undefined) return refuse(mapped.error, mapped.hint);

  if (provider.attributeCondition !== undefined) {
    const result = evaluateCondition(provider.attributeCondition, claims, attributes, line);
    if (!result.passed) {
      return refuse(
        {
          status: 403,
          error: 'unauthorized_client',
          description: 'The given credential is rejected by the attribute condition.',
        },
        result.hint,
      );
    }
  }
  const googleSubject = attributes['google.subject'];
  return {
    format: 'gcp',
    accepted: true,
    trace,
    attributes,
    ...(typeof googleSubject === 'string' ? { subject: googleSubject } : {}),
  };
}

type Line = (entry: Omit<ConditionTrace, 'subject'>) => boolean;

function mapAttributes(
  provider: GcpProvider,
  claims: Claims,
  line: Line,
): { attributes: Record<string, GcpAttributeValue>; error?: GcpStsError; hint?: string } {
  const attributes: Record<string, GcpAttributeValue> = {};
  const mapping = provider.attributeMapping;
  if (mapping['google.subject'] === undefined) {
    line({
      claim: 'google.subject',
      operator: 'mapped',
      expected: 'a mapping',
      actual: ABSENT,
      passed: false,
    });
    return {
      attributes,
      error: {
        status: 400,
        error: 'invalid_request',
        description: 'The attribute mapping must contain google.subject.',
      },
      hint: 'the attribute mapping has no google.subject; map it, e.g. `google.subject=assertion.sub`.',
    };
  }
  for (const [name, expression] of Object.entries(mapping)) {
    const outcome = evaluateCel(expression, { assertion: claims });
    const value = outcome.ok ? outcome.value : undefined;
    const isSubject = name === 'google.subject';
    if (!outcome.ok || value === null || value === undefined) {
      // A mapping over a missing claim leaves the attribute unset; only google.subject is required.
      line({
        claim: name,
        operator: 'maps',
        expected: expression,
        actual: ABSENT,
        passed: !isSubject,
        note: outcome.ok ? 'null' : outcome.error,
      });
      if (isSubject) {
        return {
          attributes,
          error: {
            status: 400,
            error: 'unauthorized_client',
            description: "The mapped attribute 'google.subject' must be of type STRING.",
          },
          hint: `google.subject maps \`${expression}\`, which the token does not provide (${outcome.ok ? 'null' : outcome.error}).`,
        };
      }
      continue;
    }
    const typed = asAttribute(value);
    if (typed === undefined || (isSubject && typeof typed !== 'string')) {
      line({
        claim: name,
        operator: 'maps',
        expected: `${expression} (to a string${isSubject ? '' : ' or list of strings'})`,
        actual: JSON.stringify(value),
        passed: false,
      });
      return {
        attributes,
        error: {
          status: 400,
          error: 'unauthorized_client',
          description: `The mapped attribute '${name}' must be of type STRING.`,
        },
        hint: `attribute ${name} maps to ${JSON.stringify(value)}; wrap the expression in string(…) or pick a string claim.`,
      };
    }
    if (
      isSubject &&
      typeof typed === 'string' &&
      Buffer.byteLength(typed, 'utf8') > SUBJECT_LIMIT_BYTES
    ) {
      const size = Buffer.byteLength(typed, 'utf8');
      line({
        claim: name,
        operator: 'maps',
        expected: `${expression} (at most ${SUBJECT_LIMIT_BYTES} bytes)`,
        actual: `${size} bytes`,
        passed: false,
      });
      return {
        attributes,
        error: {
          status: 400,
          error: 'invalid_request',
          description: `The size of mapped attribute google.subject exceeds the ${SUBJECT_LIMIT_BYTES} bytes limit. Either modify your attribute mapping or the incoming assertion to produce a mapped attribute that is less than ${SUBJECT_LIMIT_BYTES} bytes.`,
        },
        hint: `google.subject is ${size} bytes, over Google's ${SUBJECT_LIMIT_BYTES}-byte limit; map a shorter value (e.g. assertion.sub without the workflow ref).`,
      };
    }
    attributes[name] = typed;
    line({
      claim: name,
      operator: 'maps',
      expected: expression,
      actual: renderValue(typed),
      passed: true,
    });
  }
  return { attributes };
}

function asAttribute(value: unknown): GcpAttributeValue | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  return undefined;
}

/** `attribute.repository` in a condition reads the attribute mapped as `attribute.repository`. */
function attributeBinding(
  attributes: Readonly<Record<string, GcpAttributeValue>>,
): Record<string, GcpAttributeValue> {
  const out: Record<string, GcpAttributeValue> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith('attribute.')) out[name.slice('attribute.'.length)] = value;
  }
  return out;
}

function evaluateCondition(
  condition: string,
  claims: Claims,
  attributes: Readonly<Record<string, GcpAttributeValue>>,
  line: Line,
): { passed: boolean; hint?: string } {
  const bindings = { assertion: claims, attribute: attributeBinding(attributes) };
  const whole = evaluateCel(condition, bindings);
  const passed = whole.ok && whole.value === true;
  const parts = topLevelConjuncts(condition);
  let hint: string | undefined;
  for (const part of parts.length > 1 ? parts : [condition]) {
    const outcome = parts.length > 1 ? evaluateCel(part, bindings) : whole;
    const ok = outcome.ok && outcome.value === true;
    const comparison = describeComparison(part, claims, attributes);
    line({
      claim: comparison?.claim ?? 'attributeCondition',
      operator: 'CEL',
      expected: part,
      // JSON form, so a string "74" and a number 74 look different in the trace.
      actual:
        comparison === undefined
          ? renderOutcome(outcome)
          : comparison.actual === undefined
            ? ABSENT
            : JSON.stringify(comparison.actual),
      passed: ok,
      ...(outcome.ok ? {} : { note: outcome.error }),
    });
    if (!ok && hint === undefined)
      hint = conditionHint(part, outcome, comparison, claims, attributes);
  }
  return passed
    ? { passed }
    : { passed, hint: hint ?? 'the attribute condition evaluated to false for this token.' };
}

function renderOutcome(outcome: ReturnType<typeof evaluateCel>): string {
  return outcome.ok ? renderValue(outcome.value) : 'error';
}

interface Comparison {
  /** The claim or attribute under test, as written in the expression. */
  readonly claim: string;
  readonly tokenClaim: string | undefined;
  readonly actual: unknown;
  readonly literal: string;
  readonly literalIsString: boolean;
}

/** Recognises `assertion.x == 'v'` / `attribute.y == 74` shapes, enough to name a cause. */
function describeComparison(
  part: string,
  claims: Claims,
  attributes: Readonly<Record<string, GcpAttributeValue>>,
): Comparison | undefined {
  const match =
    /^\(?\s*(assertion|attribute)\.([A-Za-z_][\w]*)\s*(==|!=)\s*('([^']*)'|"([^"]*)"|-?\d+(?:\.\d+)?)\s*\)?$/.exec(
      part,
    );
  if (match === null) return undefined;
  const [, root = '', field = '', , literal = '', single, double] = match;
  const literalIsString = single !== undefined || double !== undefined;
  const text = single ?? double ?? literal;
  if (root === 'assertion') {
    return {
      claim: `assertion.${field}`,
      tokenClaim: field,
      actual: claims[field],
      literal: text,
      literalIsString,
    };
  }
  return {
    claim: `attribute.${field}`,
    tokenClaim: undefined,
    actual: attributes[`attribute.${field}`],
    literal: text,
    literalIsString,
  };
}

function conditionHint(
  part: string,
  outcome: ReturnType<typeof evaluateCel>,
  comparison: Comparison | undefined,
  claims: Claims,
  attributes: Readonly<Record<string, GcpAttributeValue>>,
): string {
  if (!outcome.ok) {
    const missing = /no such key|field not found/i.test(outcome.error);
    return missing
      ? `\`${part}\` reads a claim or attribute this token does not have (${outcome.error}); guard it with has(…) or map it.`
      : `\`${part}\` failed to evaluate: ${outcome.error}.`;
  }
  if (comparison === undefined) return `\`${part}\` is false for this token.`;
  if (!comparison.literalIsString && typeof comparison.actual === 'string') {
    return `${comparison.claim} is the string "${comparison.actual}", and \`${part}\` compares it with a number, which never matches; quote the literal ('${comparison.literal}').`;
  }
  const actual = typeof comparison.actual === 'string' ? comparison.actual : undefined;
  const claim =
    comparison.tokenClaim ??
    underlyingClaim(comparison.claim, attributes, claims) ??
    comparison.claim;
  return (
    hintFor({ claim, expected: [comparison.literal], actual, claims }) ??
    `${comparison.claim} is ${renderValue(comparison.actual)}; \`${part}\` is false.`
  );
}

/** `attribute.sub` mapped from `assertion.sub` explains as the token's `sub`. */
function underlyingClaim(
  attribute: string,
  attributes: Readonly<Record<string, GcpAttributeValue>>,
  claims: Claims,
): string | undefined {
  const value = attributes[attribute];
  if (typeof value !== 'string') return undefined;
  return Object.keys(claims).find((key) => claims[key] === value);
}

// ---------------------------------------------------------------------------------------------
// Service-account IAM binding

export interface GcpIamBinding {
  readonly role: string;
  readonly members: readonly string[];
}

export interface GcpIamPolicy {
  readonly bindings: readonly GcpIamBinding[];
}

export interface GcpFederatedPrincipal {
  readonly kind?: 'federated';
  /** The pool resource name, `projects/<number>/locations/global/workloadIdentityPools/<pool>`. */
  readonly pool: string;
  /** The mapped `google.subject`. */
  readonly subject: string;
  /** Mapped attributes as returned by {@link evaluateGcpProvider}. */
  readonly attributes: Readonly<Record<string, GcpAttributeValue>>;
}

/** A service account acting as the caller, e.g. the previous account of a delegation chain. */
export interface GcpServiceAccountCaller {
  readonly kind: 'service-account';
  readonly email: string;
}

export type GcpBindingCaller = GcpFederatedPrincipal | GcpServiceAccountCaller;

export interface GcpBindingDecision extends PolicyDecision {
  readonly format: 'gcp';
  /** The member that granted the role, when one did. */
  readonly member?: string;
}

export const WORKLOAD_IDENTITY_USER = 'roles/iam.workloadIdentityUser';

/** Parses `gcloud iam service-accounts get-iam-policy --format json` output. */
export function parseGcpIamPolicy(document: unknown, source = 'GCP IAM policy'): GcpIamPolicy {
  if (!isRecord(document)) throw usage(`${source} is not a JSON object.`);
  const raw = document['bindings'] ?? [];
  if (!Array.isArray(raw)) throw usage(`${source}: bindings must be a list.`);
  const bindings = (raw as unknown[]).map((binding, index) => {
    if (
      !isRecord(binding) ||
      typeof binding['role'] !== 'string' ||
      !Array.isArray(binding['members'])
    ) {
      throw usage(`${source}: bindings[${index}] needs a role and a members list.`);
    }
    const members = (binding['members'] as unknown[]).filter(
      (m): m is string => typeof m === 'string',
    );
    return { role: binding['role'], members };
  });
  return { bindings };
}

/**
 * Whether a caller holds `role` (default `roles/iam.workloadIdentityUser`): a federated
 * principal through a `principal://…/subject/<s>`, `principalSet://…/attribute.<name>/<value>`
 * or `principalSet://…/*` member; a service account through its `serviceAccount:<email>` member.
 */
export function evaluateGcpBinding(
  policy: GcpIamPolicy,
  principal: GcpBindingCaller,
  options: { readonly role?: string } = {},
): GcpBindingDecision {
  const role = options.role ?? WORKLOAD_IDENTITY_USER;
  const members = policy.bindings.filter((b) => b.role === role).flatMap((b) => b.members);
  if (principal.kind === 'service-account') {
    return evaluateServiceAccountMembers(members, principal.email, role);
  }
  const trace: ConditionTrace[] = [];
  const pool = `${IAM_PREFIX}${principal.pool}`;
  for (const member of members) {
    const result = memberMatches(member, pool, principal);
    trace.push({ subject: member, ...result.line });
    if (result.line.passed) return { format: 'gcp', accepted: true, trace, member };
  }
  if (members.length === 0) {
    trace.push({
      subject: 'service account IAM policy',
      claim: 'role',
      operator: 'granted',
      expected: role,
      actual: ABSENT,
      passed: false,
    });
  }
  const sameSubject = members.find(
    (m) => m.startsWith('principal://') && m.endsWith(`/subject/${principal.subject}`),
  );
  const hint =
    members.length === 0
      ? `no member holds ${role} on the service account; grant it to principal://iam.googleapis.com/${principal.pool}/subject/${principal.subject} or a principalSet.`
      : sameSubject !== undefined
        ? `${sameSubject} names this subject in another pool; the token was accepted by ${principal.pool}.`
        : (bindingHint(members, pool, principal) ??
          `no ${role} member matches google.subject \`${principal.subject}\` or its attributes.`);
  return { format: 'gcp', accepted: false, trace, hint };
}

/** IAM principal identifiers: a service account is the member `serviceAccount:<email>`. */
function evaluateServiceAccountMembers(
  members: readonly string[],
  email: string,
  role: string,
): GcpBindingDecision {
  const trace: ConditionTrace[] = [];
  const want = `serviceAccount:${email}`;
  for (const member of members) {
    const named = member.startsWith('serviceAccount:')
      ? member.slice('serviceAccount:'.length)
      : undefined;
    const passed = member === want;
    trace.push({
      subject: member,
      claim: 'service account',
      operator: 'serviceAccount',
      expected: named ?? member,
      actual: email,
      passed,
      ...(named === undefined ? { note: 'not a service-account member' } : {}),
    });
    if (passed) return { format: 'gcp', accepted: true, trace, member };
  }
  if (members.length === 0) {
    trace.push({
      subject: 'service account IAM policy',
      claim: 'role',
      operator: 'granted',
      expected: role,
      actual: ABSENT,
      passed: false,
    });
    return {
      format: 'gcp',
      accepted: false,
      trace,
      hint: `no member holds ${role} on the service account; grant it to ${want}.`,
    };
  }
  const caseOnly = members.find((m) => m.toLowerCase() === want.toLowerCase());
  const hint =
    caseOnly !== undefined
      ? `${caseOnly} differs from ${want} only in letter case; write the member exactly as the account's email.`
      : `${want} does not hold ${role} on the service account; grant it to that member.`;
  return { format: 'gcp', accepted: false, trace, hint };
}

function memberMatches(
  member: string,
  pool: string,
  principal: GcpFederatedPrincipal,
): { line: Omit<ConditionTrace, 'subject'> } {
  const subjectPrefix = `principal://${pool.slice(2)}/subject/`;
  const setPrefix = `principalSet://${pool.slice(2)}/`;
  if (member.startsWith('principal://')) {
    const want = member.startsWith(subjectPrefix) ? member.slice(subjectPrefix.length) : undefined;
    return {
      line: {
        claim: 'google.subject',
        operator: 'principal',
        expected: want ?? member,
        actual: principal.subject,
        passed: want === principal.subject,
        ...(want === undefined ? { note: 'member names another pool' } : {}),
      },
    };
  }
  if (member.startsWith('principalSet://')) {
    if (!member.startsWith(setPrefix)) {
      return {
        line: {
          claim: 'pool',
          operator: 'principalSet',
          expected: member,
          actual: principal.pool,
          passed: false,
          note: 'member names another pool',
        },
      };
    }
    const rest = member.slice(setPrefix.length);
    if (rest === '*') {
      return {
        line: {
          claim: 'pool',
          operator: 'principalSet',
          expected: '*',
          actual: principal.pool,
          passed: true,
        },
      };
    }
    const attr = /^attribute\.([^/]+)\/(.*)$/.exec(rest);
    if (attr !== null) {
      const [, name = '', value = ''] = attr;
      const actual = principal.attributes[`attribute.${name}`];
      const passed =
        value === '*'
          ? actual !== undefined
          : Array.isArray(actual)
            ? actual.includes(value)
            : actual === value;
      return {
        line: {
          claim: `attribute.${name}`,
          operator: 'principalSet',
          expected: value,
          actual: renderValue(actual),
          passed,
        },
      };
    }
    const group = /^group\/(.*)$/.exec(rest);
    if (group !== null) {
      const groups = principal.attributes['google.groups'];
      const passed = Array.isArray(groups) ? groups.includes(group[1] ?? '') : groups === group[1];
      return {
        line: {
          claim: 'google.groups',
          operator: 'principalSet',
          expected: group[1] ?? '',
          actual: renderValue(groups),
          passed,
        },
      };
    }
  }
  return {
    line: {
      claim: 'member',
      operator: 'is federated principal',
      expected: member,
      actual: principal.subject,
      passed: false,
      note: 'not a workload identity principal',
    },
  };
}

function bindingHint(
  members: readonly string[],
  pool: string,
  principal: GcpFederatedPrincipal,
): string | undefined {
  const setPrefix = `principalSet://${pool.slice(2)}/attribute.`;
  for (const member of members) {
    if (!member.startsWith(setPrefix)) continue;
    const [name = '', ...value] = member.slice(setPrefix.length).split('/');
    const actual = principal.attributes[`attribute.${name}`];
    if (actual === undefined) {
      return `${member} needs attribute.${name}, which the provider's attribute mapping does not produce for this token; map it.`;
    }
    const want = value.join('/');
    if (typeof actual === 'string' && actual.toLowerCase() === want.toLowerCase()) {
      return `attribute.${name} is \`${actual}\` and the binding names \`${want}\`: they differ only in letter case.`;
    }
    return `attribute.${name} is \`${renderValue(actual)}\`, but the binding grants \`${want}\`.`;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function usage(message: string): WifError {
  return new WifError('usage', message, {
    fix: 'Export the provider with `gcloud iam workload-identity-pools providers describe <provider> --workload-identity-pool <pool> --location global --format json`.',
  });
}
