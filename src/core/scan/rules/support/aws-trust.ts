/**
 * AWS role trust policies as the CLD rules read them: every web-identity statement with its
 * issuer and each condition, each with a path into the document. Sources: IAM JSON and
 * `aws iam get-role` output, Terraform `aws_iam_role.assume_role_policy` (jsonencode, heredoc
 * JSON) and `data "aws_iam_policy_document"` blocks, read in place so a finding points at the
 * block the author wrote rather than at the role that references it.
 *
 * The policy engine's parser (src/core/policy/aws.ts) is built for deciding requests: it throws
 * on a malformed statement and keeps no source paths, so the scanner reads statements leniently
 * here and shares only its constants and wildcard semantics.
 */
import { ASSUME_ACTION } from '../../../policy/actions.ts';
import { hasWildcard, wildcardMatch } from '../../../policy/match.ts';
import { entriesOf, isObject } from '../../document.ts';
import type { DocPath, PlainObject, ScanDocument } from '../../document.ts';
import type { ObjectRef, RuleFinding, ScanContext, TrustPolicy } from '../../rule.ts';
import { perScan } from './per-scan.ts';
import { dynamicBlocks, nestedBlocks, terraformBlocks } from './terraform.ts';

export interface TrustCondition {
  /** The operator as written, e.g. `StringLike`, `ForAnyValue:StringLike`. */
  readonly operator: string;
  /** The operator without set prefix or `IfExists`, e.g. `StringLike`. */
  readonly base: string;
  readonly key: string;
  readonly values: readonly string[];
  /** The key (JSON) or the `condition` block (Terraform data source). */
  readonly path: DocPath;
}

export interface WebIdentityStatement {
  readonly path: DocPath;
  /** Path to the principal, where a missing condition is reported. */
  readonly principalPath: DocPath;
  /** Issuer host and path (`token.actions.githubusercontent.com`), when the source names it. */
  readonly issuer: string | undefined;
  readonly conditions: readonly TrustCondition[];
  /**
   * Terraform `dynamic "condition"` blocks whose conditions only exist at plan time (a computed
   * `for_each`): the statement may have more conditions than `conditions` lists.
   */
  readonly unresolvedConditions: readonly DocPath[];
}

export interface RoleTrust {
  /** Role or policy-document name, for messages and the prod heuristic. */
  readonly name: string;
  readonly object: ObjectRef | undefined;
  readonly statements: readonly WebIdentityStatement[];
}

const POSITIVE_BASES = new Set(['StringEquals', 'StringLike', 'StringEqualsIgnoreCase']);

function strings(value: unknown): readonly string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value)
    ? (value as readonly unknown[]).filter((item): item is string => typeof item === 'string')
    : [];
}

/** `ForAnyValue:` and `ForAllValues:` are the set qualifiers IAM defines, spelled as it does. */
function baseOperator(operator: string): string {
  return operator.replace(/^(?:ForAnyValue|ForAllValues):/, '').replace(/IfExists$/, '');
}

function issuerFromArn(arn: string): string | undefined {
  return /:oidc-provider\/(.+)$/.exec(arn)?.[1];
}

/** The issuer a statement trusts: from the provider ARN, else from its condition keys. */
function issuerOf(
  federated: readonly string[],
  conditions: readonly TrustCondition[],
): string | undefined {
  for (const principal of federated) {
    const fromArn = issuerFromArn(principal);
    if (fromArn !== undefined) return fromArn;
    if (!principal.includes('${') && !principal.startsWith('arn:')) return principal;
  }
  for (const condition of conditions) {
    const match = /^(.+):(?:sub|aud|amr)$/.exec(condition.key);
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}

/**
 * Whether an IAM `Action` entry covers `action`. IAM action names are case-insensitive and
 * `*` and `?` are wildcards in them, so `sts:assumerolewithwebidentity`, `sts:AssumeRoleWith*`
 * and `*` all allow web-identity federation.
 */
export function actionCovers(pattern: string, action: string): boolean {
  return wildcardMatch(pattern, action, { questionMark: true, ignoreCase: true });
}

function allowsWebIdentity(effect: unknown, actions: readonly string[]): boolean {
  return (
    (effect === undefined || effect === 'Allow') &&
    actions.some((action) => actionCovers(action, ASSUME_ACTION))
  );
}

function jsonStatements(policy: unknown, base: DocPath): WebIdentityStatement[] {
  if (!isObject(policy)) return [];
  const raw = policy['Statement'];
  const list: { statement: unknown; path: DocPath }[] = Array.isArray(raw)
    ? (raw as readonly unknown[]).map((statement, index) => ({
        statement,
        path: [...base, 'Statement', index],
      }))
    : [{ statement: raw, path: [...base, 'Statement'] }];
  const out: WebIdentityStatement[] = [];
  for (const { statement, path } of list) {
    if (!isObject(statement)) continue;
    const principal = statement['Principal'];
    const federated = isObject(principal) ? strings(principal['Federated']) : [];
    if (
      federated.length === 0 ||
      !allowsWebIdentity(statement['Effect'], strings(statement['Action']))
    )
      continue;
    const conditions: TrustCondition[] = [];
    for (const [operator, block] of entriesOf(statement['Condition'])) {
      for (const [key, values] of entriesOf(block)) {
        conditions.push({
          operator,
          base: baseOperator(operator),
          key,
          values: strings(values),
          path: [...path, 'Condition', operator, key],
        });
      }
    }
    out.push({
      path,
      principalPath: [...path, 'Principal', 'Federated'],
      issuer: issuerOf(federated, conditions),
      conditions,
      unresolvedConditions: [],
    });
  }
  return out;
}

function policyDocumentStatements(body: PlainObject, base: DocPath): WebIdentityStatement[] {
  const out: WebIdentityStatement[] = [];
  // Nested blocks are lists in hcl2json output and may be single objects in `.tf.json`.
  for (const { path, body: statement } of nestedBlocks(body, base, 'statement')) {
    let federated: readonly string[] = [];
    let principalPath: DocPath = path;
    for (const principal of nestedBlocks(statement, path, 'principals')) {
      if (principal.body['type'] === 'Federated') {
        federated = strings(principal.body['identifiers']);
        principalPath = principal.path;
      }
    }
    if (
      federated.length === 0 ||
      !allowsWebIdentity(statement['effect'], strings(statement['actions']))
    )
      continue;
    const conditions: TrustCondition[] = [];
    const dynamic = dynamicBlocks(statement, path, 'condition');
    for (const condition of [...nestedBlocks(statement, path, 'condition'), ...dynamic.blocks]) {
      const operator = condition.body['test'];
      const key = condition.body['variable'];
      if (typeof operator !== 'string' || typeof key !== 'string') continue;
      conditions.push({
        operator,
        base: baseOperator(operator),
        key,
        values: strings(condition.body['values']),
        path: condition.path,
      });
    }
    out.push({
      path,
      principalPath,
      issuer: issuerOf(federated, conditions),
      conditions,
      unresolvedConditions: dynamic.unresolved,
    });
  }
  return out;
}

/** `get-role` may show the document as (URL-encoded) JSON text; paths then stop at the text. */
function parsePolicy(policy: unknown): unknown {
  if (typeof policy !== 'string') return policy;
  try {
    const text = policy.trim().startsWith('%7B') ? decodeURIComponent(policy) : policy;
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The web-identity statements of one trust policy value (IAM JSON or `get-role` output). */
export function webIdentityStatementsOf(policy: unknown): readonly WebIdentityStatement[] {
  return jsonStatements(parsePolicy(policy), []);
}

/** A `sub` value a statement admits: exactly, or as a pattern AWS expands. */
export interface SubjectTest {
  readonly value: string;
  readonly glob: boolean;
}

/** Every subject a statement's positive `sub` conditions admit; empty when `sub` is untested. */
export function subjectTests(statement: WebIdentityStatement): readonly SubjectTest[] {
  return positiveConditions(statement, 'sub').flatMap((condition) =>
    condition.values.map((value) => ({ value, glob: isPattern(condition, value) })),
  );
}

/** The scan's trust policies grouped by document, so each document finds its own directly. */
function trustPoliciesByDocument(
  context: ScanContext,
): ReadonlyMap<ScanDocument, readonly TrustPolicy[]> {
  const byDocument = new Map<ScanDocument, TrustPolicy[]>();
  for (const trust of context.trustPolicies()) {
    const list = byDocument.get(trust.document) ?? [];
    list.push(trust);
    byDocument.set(trust.document, list);
  }
  return byDocument;
}

const DATA_REFERENCE = /^\$\{data\.aws_iam_policy_document\.[\w-]+\.json\}$/;

/** Every role trust policy in `document` that trusts a web identity (OIDC) provider. */
/** Seven rules read each document's trusts; they are extracted once per document. */
const trustsCache = new WeakMap<ScanDocument, readonly RoleTrust[]>();

export function webIdentityTrusts(
  document: ScanDocument,
  context: ScanContext,
): readonly RoleTrust[] {
  const cached = trustsCache.get(document);
  if (cached !== undefined) return cached;
  const out: RoleTrust[] = [];
  const terraform = document.classification.kind === 'terraform';
  const roles = terraform ? terraformBlocks(document.value, ['aws_iam_role']) : [];
  for (const trust of perScan(context, trustPoliciesByDocument).get(document) ?? []) {
    const label = terraform ? String(trust.path[2] ?? '') : '';
    if (terraform) {
      // A role that references a policy document is read at the document itself, below.
      const assume = roles.find((role) => role.name === label)?.body['assume_role_policy'];
      if (typeof assume === 'string' && DATA_REFERENCE.test(assume)) continue;
    }
    const statements = jsonStatements(parsePolicy(trust.policy), trust.path);
    if (statements.length === 0) continue;
    out.push({
      name: trust.roleName ?? document.file,
      object: terraform ? { kind: 'aws_iam_role', name: label, namespace: null } : undefined,
      statements,
    });
  }
  if (document.classification.kind === 'terraform') {
    for (const block of terraformBlocks(document.value, ['aws_iam_policy_document'], 'data')) {
      const statements = policyDocumentStatements(block.body, block.path);
      if (statements.length > 0) out.push({ name: block.name, object: block.object, statements });
    }
  }
  trustsCache.set(document, out);
  return out;
}

/** Conditions that narrow a claim positively (equality or pattern), on `<issuer>:<claim>`. */
export function positiveConditions(
  statement: WebIdentityStatement,
  claim: string,
): readonly TrustCondition[] {
  // AWS compares condition keys case-insensitively; one statement trusts one issuer.
  const suffix = `:${claim}`;
  return statement.conditions.filter(
    (condition) =>
      POSITIVE_BASES.has(condition.base) && condition.key.toLowerCase().endsWith(suffix),
  );
}

/**
 * The finding for a statement that lacks a condition on `claim` but has `dynamic "condition"`
 * blocks the scanner cannot expand: the condition may well be generated at plan time, so the
 * rule says it cannot verify the claim (at `low`) instead of claiming it is missing.
 */
export function unverifiableCondition(
  trust: RoleTrust,
  statement: WebIdentityStatement,
  claim: string,
): RuleFinding | undefined {
  const [first] = statement.unresolvedConditions;
  if (first === undefined) return undefined;
  return {
    path: first,
    severity: 'low',
    message: `Role ${trust.name} trusts ${statement.issuer ?? 'an OIDC provider'} through conditions a \`dynamic "condition"\` block generates from a computed \`for_each\`; the scanner cannot verify statically that one tests \`${claim}\`.`,
    ...(trust.object === undefined ? {} : { object: trust.object }),
  };
}

/** True when the value is a pattern AWS expands (`StringLike` with `*` or `?`). */
export function isPattern(condition: TrustCondition, value: string): boolean {
  return condition.base === 'StringLike' && hasWildcard(value, { questionMark: true });
}

export const GITHUB_ISSUER_HOST = 'token.actions.githubusercontent.com';

/** Issuers of Kubernetes clusters (EKS, GKE, AKS, or a self-managed cluster's discovery URL). */
export function isKubernetesIssuer(issuer: string | undefined): boolean {
  return (
    issuer !== undefined &&
    (/^oidc\.eks\.[\w-]+\.amazonaws\.com\/id\//.test(issuer) ||
      issuer.startsWith('container.googleapis.com/') ||
      /\.oic\.prod-aks\.azure\.com\//.test(issuer))
  );
}

/**
 * How broad a `sub` pattern is (GitHub `repo:<owner>/<repo>:…`, GitLab `project_path:<group>/…`):
 * undefined when the owner and repository are literal.
 */
export function subjectBreadth(pattern: string): 'everyone' | 'organisation' | undefined {
  if (/^[*?]+$/.test(pattern)) return 'everyone';
  const scoped = /^(repo|project_path):([^:]*)/.exec(pattern);
  if (scoped === null) return /^[^:]*[*?]/.test(pattern) ? 'everyone' : undefined;
  const [owner = '', ...rest] = (scoped[2] ?? '').split('/');
  if (/[*?]/.test(owner)) return 'everyone';
  return /[*?]/.test(rest.join('/')) || rest.length === 0 ? 'organisation' : undefined;
}
