import type { Claims } from '../token/claims.ts';
import { audiences, stringClaim } from '../token/claims.ts';
import { wildcardMatch } from './match.ts';

/**
 * The cause-finder. Given one failing comparison, it names the most likely reason in one
 * sentence: which form of `sub` the token has and why, a case-only difference, an audience
 * or issuer the token was not minted for. It only explains; it never changes a verdict.
 */
export interface Mismatch {
  /** The claim as the token names it: `sub`, `aud`, `iss`, `job_workflow_ref`, … */
  readonly claim: string;
  /** Values the configuration would accept (any of them). */
  readonly expected: readonly string[];
  /** The token's value; undefined when the claim is absent. */
  readonly actual: string | undefined;
  /** Whether `expected` values are wildcard patterns, and which wildcards they use. */
  readonly wildcards?: 'star' | 'star-and-question';
  readonly claims: Claims;
}

export function hintFor(mismatch: Mismatch): string | undefined {
  const { claim, expected, actual } = mismatch;
  if (expected.length === 0) return undefined;
  if (actual === undefined) return absentHint(mismatch);
  const caseOnly = expected.find((value) => matches(mismatch, value, actual, true));
  if (caseOnly !== undefined) {
    return `${claim} is \`${actual}\` and the configuration expects \`${caseOnly}\`: they differ only in letter case, and the comparison is case-sensitive; copy the value exactly as the token carries it.`;
  }
  if (claim === 'sub') return subjectHint(mismatch, actual) ?? genericHint(mismatch, actual);
  if (claim === 'aud') {
    return `the token's aud is ${quoteList(audiences(mismatch.claims))} but the configuration expects ${quoteList(expected)}; request the token with that audience (GitHub: the \`audience\` input / getIDToken(aud); GitLab: \`id_tokens: <NAME>: aud:\`).`;
  }
  if (claim === 'iss') return issuerHint(expected, actual);
  return genericHint(mismatch, actual);
}

function matches(mismatch: Mismatch, pattern: string, value: string, ignoreCase: boolean): boolean {
  if (mismatch.wildcards === undefined) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  return wildcardMatch(pattern, value, {
    questionMark: mismatch.wildcards === 'star-and-question',
    ignoreCase,
  });
}

function absentHint(mismatch: Mismatch): string {
  const { claim } = mismatch;
  if (claim === 'environment') {
    return `the token has no environment claim because the job does not declare \`environment:\`; add it to the job, or stop conditioning on it.`;
  }
  if (claim === 'aud') {
    return `the token has no aud claim; request it with an audience (the configuration expects ${quoteList(mismatch.expected)}).`;
  }
  return `the token has no ${claim} claim; the configuration expects ${quoteList(mismatch.expected)}.`;
}

function issuerHint(expected: readonly string[], actual: string): string {
  const trimmed = (value: string): string => value.replace(/\/+$/, '');
  if (expected.some((value) => trimmed(value) === trimmed(actual))) {
    return `the issuer differs only by a trailing slash: the token says \`${actual}\`, the configuration \`${expected.join('`, `')}\`; issuers are compared as exact strings.`;
  }
  const enterprise = /^https:\/\/token\.actions\.githubusercontent\.com\/[^/]+$/.test(actual);
  const extra = enterprise
    ? ' The token comes from a GitHub enterprise with a unique issuer URL; trust that URL.'
    : '';
  return `the token was issued by \`${actual}\` but the configuration trusts ${quoteList(expected)}.${extra}`;
}

/** The parts of a GitHub or GitLab default subject, when the subject has one of those forms. */
export interface SubjectForm {
  readonly platform: 'github' | 'gitlab';
  /** `org/app`, or for GitHub's immutable form still `org/app` (IDs kept apart). */
  readonly repository: string;
  readonly immutable: boolean;
  /** `ref`, `environment`, `pull_request`, or `custom` for any other template. */
  readonly context: 'ref' | 'environment' | 'pull_request' | 'custom';
  readonly value: string;
}

export function parseSubject(subject: string): SubjectForm | undefined {
  const github = /^repo:([^/:@]+)(@[^/:]+)?\/([^:@]+)(@[^:]+)?:(.*)$/.exec(subject);
  if (github !== null) {
    const [, owner = '', ownerId, repo = '', repoId, rest = ''] = github;
    const immutable = ownerId !== undefined || repoId !== undefined;
    const repository = `${owner}/${repo}`;
    if (rest.startsWith('ref:')) {
      return { platform: 'github', repository, immutable, context: 'ref', value: rest.slice(4) };
    }
    if (rest.startsWith('environment:')) {
      return {
        platform: 'github',
        repository,
        immutable,
        context: 'environment',
        value: rest.slice(12),
      };
    }
    if (rest === 'pull_request') {
      return { platform: 'github', repository, immutable, context: 'pull_request', value: '' };
    }
    return { platform: 'github', repository, immutable, context: 'custom', value: rest };
  }
  const gitlab = /^project_path:([^:]+):(.*)$/.exec(subject);
  if (gitlab !== null) {
    const [, repository = '', rest = ''] = gitlab;
    const ref = /(?:^|:)ref:([^:]*)/.exec(rest)?.[1];
    return {
      platform: 'gitlab',
      repository,
      immutable: false,
      context: ref === undefined ? 'custom' : 'ref',
      value: ref ?? rest,
    };
  }
  return undefined;
}

function subjectHint(mismatch: Mismatch, actual: string): string | undefined {
  const got = parseSubject(actual);
  if (got === undefined) return undefined;
  const candidates = mismatch.expected
    .map((value) => ({ value, form: parseSubject(value) }))
    .filter((c): c is { value: string; form: SubjectForm } => c.form !== undefined);
  const sameRepo = candidates.find((c) => c.form.repository === got.repository);
  const target = sameRepo ?? candidates[0];
  if (target === undefined) return undefined;
  const want = target.form;
  const lead = `sub is \`${actual}\``;
  const tail = `the configuration expects \`${target.value}\``;
  if (want.repository !== got.repository) {
    if (want.repository.toLowerCase() === got.repository.toLowerCase()) {
      return `${lead}; ${tail}: the repository differs only in letter case, and subjects are compared case-sensitively.`;
    }
    return `${lead}: the token comes from repository ${got.repository}, and ${tail} (another repository).`;
  }
  if (got.immutable !== want.immutable) {
    return got.immutable
      ? `${lead} in GitHub's immutable form (owner and repository IDs, used by repositories created on or after 2026-07-15 or opted in); ${tail} in the name-only form: accept \`${actual}\` too.`
      : `${lead} in the name-only form; ${tail} in GitHub's immutable form (\`repo:OWNER@ID/REPO@ID:…\`), which this repository does not use.`;
  }
  if (got.context !== want.context) return contextHint(got, mismatch.claims, lead, tail);
  if (got.context === 'ref') {
    return `${lead} because the workflow ran on ${got.value}; ${tail}, which names ${want.value}.`;
  }
  if (got.context === 'environment') {
    return `${lead} because the job declares \`environment: ${got.value}\`; ${tail}, another environment.`;
  }
  return `${lead}; ${tail}.`;
}

function contextHint(got: SubjectForm, claims: Claims, lead: string, tail: string): string {
  switch (got.context) {
    case 'environment':
      return `${lead} because the job declares \`environment: ${got.value}\` (an environment replaces the ref in GitHub's sub); ${tail}.`;
    case 'pull_request':
      return `${lead} because the workflow was triggered by a pull_request event; ${tail}.`;
    case 'ref': {
      const event = stringClaim(claims, 'event_name');
      const why = event === undefined ? '' : ` (event ${event})`;
      return `${lead} because the job has no environment and ran on ${got.value}${why}; ${tail}.`;
    }
    case 'custom':
      return `${lead}, a customised subject template (include_claim_keys); ${tail}.`;
  }
}

function genericHint(mismatch: Mismatch, actual: string): string {
  return `${mismatch.claim} is \`${actual}\`; the configuration expects ${quoteList(mismatch.expected)}.`;
}

function quoteList(values: readonly string[]): string {
  if (values.length === 0) return 'nothing';
  return values.map((value) => `\`${value}\``).join(' or ');
}
