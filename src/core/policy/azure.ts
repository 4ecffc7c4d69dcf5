import { WifError } from '../errors.ts';
import type { Claims } from '../token/claims.ts';
import { audiences, stringClaim } from '../token/claims.ts';
import type { ConditionTrace, PolicyDecision } from './decision.ts';
import { ABSENT, renderValue, withHint } from './decision.ts';
import { hintFor } from './hints.ts';
import { wildcardMatch } from './match.ts';

/**
 * Microsoft Entra federated identity credentials (FIC) as the token endpoint matches them:
 * issuer, subject and audience compared exactly and case-sensitively, or, for a flexible
 * credential, a `claimsMatchingExpression` of `claims['x'] matches|eq '…'` terms joined by `and`.
 */

export interface AzureClaimTerm {
  readonly claim: string;
  readonly operator: 'matches' | 'eq';
  readonly value: string;
}

export interface AzureFederatedCredential {
  readonly name: string;
  readonly issuer: string;
  readonly audiences: readonly string[];
  /** Classic credentials carry a subject; flexible ones carry `expression` instead. */
  readonly subject?: string;
  readonly expression?: { readonly source: string; readonly terms: readonly AzureClaimTerm[] };
}

/** AADSTS codes for a refused `client_assertion`. */
export type AadstsCode = 70021 | 700211 | 700213 | 7002138;

export interface AzureDecision extends PolicyDecision {
  readonly format: 'azure';
  /** The credential that matched, when one did. */
  readonly matched?: AzureFederatedCredential;
  /** The refusal the token endpoint sends (`invalid_client`), when none matched. */
  readonly error?: { readonly code: AadstsCode; readonly description: string };
}

export const DEFAULT_AZURE_AUDIENCE = 'api://AzureADTokenExchange';

/** Claims a flexible credential may use, per issuer (Microsoft's documented allow-list). */
const FLEXIBLE_CLAIMS: readonly { readonly issuer: RegExp; readonly claims: readonly string[] }[] =
  [
    {
      issuer: /^https:\/\/token\.actions\.githubusercontent\.com(\/|$)/,
      claims: ['sub', 'job_workflow_ref'],
    },
    { issuer: /^https:\/\/gitlab\./, claims: ['sub'] },
  ];

// ---------------------------------------------------------------------------------------------
// Parsing

/**
 * Parses `az ad app federated-credential show|list`, `az identity federated-credential show|list`
 * or Microsoft Graph output: one credential, a list, or `{ value: [...] }`.
 */
export function parseAzureCredentials(
  document: unknown,
  source = 'Azure federated credential',
): readonly AzureFederatedCredential[] {
  if (Array.isArray(document))
    return document.map((item, index) => parseOne(item, `${source}[${index}]`));
  if (isRecord(document) && Array.isArray(document['value'])) {
    return (document['value'] as unknown[]).map((item, index) =>
      parseOne(item, `${source} value[${index}]`),
    );
  }
  return [parseOne(document, source)];
}

function parseOne(raw: unknown, source: string): AzureFederatedCredential {
  if (!isRecord(raw)) throw usage(`${source} is not a JSON object.`);
  const body = isRecord(raw['properties']) ? { ...raw, ...raw['properties'] } : raw;
  const name = typeof body['name'] === 'string' ? body['name'] : source;
  const issuer = body['issuer'];
  if (typeof issuer !== 'string' || issuer === '') throw usage(`${source} has no issuer.`);
  const auds = body['audiences'] ?? [DEFAULT_AZURE_AUDIENCE];
  if (!Array.isArray(auds) || !auds.every((a) => typeof a === 'string')) {
    throw usage(`${source}: audiences must be a list of strings.`);
  }
  const subject = body['subject'];
  const expression = body['claimsMatchingExpression'];
  const hasSubject = typeof subject === 'string' && subject !== '';
  const hasExpression = expression !== undefined && expression !== null;
  if (hasSubject === hasExpression) {
    throw usage(`${source} must have exactly one of subject and claimsMatchingExpression.`);
  }
  const base = { name, issuer, audiences: auds };
  if (hasSubject) return { ...base, subject };
  const text = isRecord(expression) ? expression['value'] : expression;
  if (typeof text !== 'string')
    throw usage(`${source}: claimsMatchingExpression.value must be a string.`);
  return { ...base, expression: { source: text, terms: parseExpression(text, source) } };
}

/** `claims['sub'] matches 'repo:o/r:ref:refs/heads/*' and claims['job_workflow_ref'] eq '…'`. */
export function parseExpression(
  text: string,
  source = 'claimsMatchingExpression',
): readonly AzureClaimTerm[] {
  const term = /^\s*claims\['([^']+)'\]\s+(matches|eq)\s+'((?:[^'\\]|\\.)*)'\s*/;
  const terms: AzureClaimTerm[] = [];
  let rest = text;
  for (;;) {
    const match = term.exec(rest);
    if (match === null) {
      throw usage(
        `${source}: cannot parse claimsMatchingExpression at \`${rest.trim().slice(0, 40)}\`; expected claims['<claim>'] matches|eq '<value>'.`,
      );
    }
    const [whole, claim = '', operator = '', value = ''] = match;
    terms.push({
      claim,
      operator: operator === 'eq' ? 'eq' : 'matches',
      value: value.replace(/\\(.)/g, '$1'),
    });
    rest = rest.slice(whole.length);
    if (rest.trim() === '') return terms;
    const and = /^and\s+/.exec(rest);
    if (and === null)
      throw usage(`${source}: expected \`and\` between terms at \`${rest.trim().slice(0, 40)}\`.`);
    rest = rest.slice(and[0].length);
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

interface CredentialResult {
  readonly credential: AzureFederatedCredential;
  readonly issuer: boolean;
  readonly subject: boolean;
  readonly subjectIgnoringCase: boolean;
  readonly audience: boolean;
}

export function evaluateAzureCredentials(
  credentials: readonly AzureFederatedCredential[],
  claims: Claims,
): AzureDecision {
  const trace: ConditionTrace[] = [];
  const results = credentials.map((credential) => evaluateOne(credential, claims, trace));
  const matched = results.find((r) => r.issuer && r.subject && r.audience);
  if (matched !== undefined) {
    return { format: 'azure', accepted: true, trace, matched: matched.credential };
  }
  const iss = stringClaim(claims, 'iss') ?? '';
  const sub = stringClaim(claims, 'sub') ?? '';
  const aud = audiences(claims).join(', ');
  const issuerMatches = results.filter((r) => r.issuer);
  let error: { code: AadstsCode; description: string };
  let hint: string | undefined;
  if (issuerMatches.length === 0) {
    error = {
      code: 700211,
      description: `AADSTS700211: No matching federated identity record found for presented assertion issuer '${iss}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.`,
    };
    hint = hintFor({
      claim: 'iss',
      expected: credentials.map((c) => c.issuer),
      actual: iss === '' ? undefined : iss,
      claims,
    });
  } else if (!issuerMatches.some((r) => r.subject)) {
    const caseOnly = issuerMatches.some((r) => r.subjectIgnoringCase);
    error = caseOnly
      ? {
          code: 7002138,
          description: `AADSTS7002138: No matching federated identity record found for presented assertion subject '${sub}'. A federated identity credential matches it only when letter case is ignored; subjects are compared case-sensitively.`,
        }
      : {
          code: 700213,
          description: `AADSTS700213: No matching federated identity record found for presented assertion subject '${sub}'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion.`,
        };
    hint = subjectHint(issuerMatches, claims);
  } else {
    error = {
      code: 70021,
      description: `AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '${iss}'. Assertion Subject: '${sub}'. Assertion Audience: '${aud}'.`,
    };
    const near = issuerMatches.filter((r) => r.subject);
    hint = hintFor({
      claim: 'aud',
      expected: near.flatMap((r) => r.credential.audiences),
      actual: audiences(claims)[0],
      claims,
    });
  }
  return withHint({ format: 'azure', accepted: false, trace, error }, hint);
}

function evaluateOne(
  credential: AzureFederatedCredential,
  claims: Claims,
  trace: ConditionTrace[],
): CredentialResult {
  const subject = `credential ${credential.name}`;
  const iss = stringClaim(claims, 'iss');
  const issuer = iss === credential.issuer;
  trace.push({
    subject,
    claim: 'iss',
    operator: 'equals',
    expected: credential.issuer,
    actual: iss ?? ABSENT,
    passed: issuer,
  });

  let subjectOk: boolean;
  let ignoringCase: boolean;
  if (credential.subject !== undefined) {
    const sub = stringClaim(claims, 'sub');
    subjectOk = sub === credential.subject;
    ignoringCase = sub !== undefined && sub.toLowerCase() === credential.subject.toLowerCase();
    trace.push({
      subject,
      claim: 'sub',
      operator: 'equals',
      expected: credential.subject,
      actual: sub ?? ABSENT,
      passed: subjectOk,
      ...(credential.subject.includes('*') && !subjectOk
        ? { note: '`*` is literal in a subject; use a flexible credential for wildcards' }
        : {}),
    });
  } else {
    const terms = credential.expression?.terms ?? [];
    const allowed = FLEXIBLE_CLAIMS.find(
      (entry) => iss !== undefined && entry.issuer.test(iss),
    )?.claims;
    subjectOk = true;
    ignoringCase = true;
    for (const term of terms) {
      const actual = stringClaim(claims, term.claim);
      const permitted = allowed === undefined || allowed.includes(term.claim);
      const passed = permitted && actual !== undefined && termMatches(term, actual, false);
      subjectOk &&= passed;
      ignoringCase &&= permitted && actual !== undefined && termMatches(term, actual, true);
      trace.push({
        subject,
        claim: term.claim,
        operator: term.operator,
        expected: term.value,
        actual: actual ?? ABSENT,
        passed,
        ...(permitted
          ? {}
          : {
              note: `flexible credentials may not use ${term.claim} for this issuer (allowed: ${allowed.join(', ')})`,
            }),
      });
    }
  }
  const auds = audiences(claims);
  const audience = auds.some((aud) => credential.audiences.includes(aud));
  trace.push({
    subject,
    claim: 'aud',
    operator: 'any in',
    expected: renderValue(credential.audiences),
    actual: auds.length === 0 ? ABSENT : renderValue(auds),
    passed: audience,
  });
  return { credential, issuer, subject: subjectOk, subjectIgnoringCase: ignoringCase, audience };
}

function termMatches(term: AzureClaimTerm, actual: string, ignoreCase: boolean): boolean {
  if (term.operator === 'eq')
    return ignoreCase ? term.value.toLowerCase() === actual.toLowerCase() : term.value === actual;
  return wildcardMatch(term.value, actual, { questionMark: true, ignoreCase });
}

function subjectHint(results: readonly CredentialResult[], claims: Claims): string | undefined {
  const classic = results
    .map((r) => r.credential.subject)
    .filter((s): s is string => s !== undefined);
  const sub = stringClaim(claims, 'sub');
  if (
    classic.some(
      (s) => s.includes('*') && sub !== undefined && wildcardMatch(s, sub, { questionMark: true }),
    )
  ) {
    return 'a classic federated credential treats `*` in its subject literally; use a flexible credential (claimsMatchingExpression with `matches`) for wildcards.';
  }
  if (classic.length > 0) return hintFor({ claim: 'sub', expected: classic, actual: sub, claims });
  for (const result of results) {
    for (const term of result.credential.expression?.terms ?? []) {
      const actual = stringClaim(claims, term.claim);
      if (actual !== undefined && termMatches(term, actual, false)) continue;
      return hintFor({
        claim: term.claim,
        expected: [term.value],
        actual,
        claims,
        ...(term.operator === 'matches' ? { wildcards: 'star-and-question' as const } : {}),
      });
    }
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function usage(message: string): WifError {
  return new WifError('usage', message, {
    fix: 'Export it with `az ad app federated-credential show --id <app> --federated-credential-id <name>` (or `az identity federated-credential show`).',
  });
}
