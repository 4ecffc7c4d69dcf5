import { WifError } from '../../core/errors.ts';
import { wildcardMatch } from '../../core/policy/match.ts';
import type { Session } from './sessions.ts';

/**
 * Who may call `sts:AssumeRole` on a role with an existing role session (role chaining): the
 * trust policy's statements whose `Principal.AWS` names the calling role, a session of it, its
 * account (`<id>` or `arn:aws:iam::<id>:root`) or `*` (IAM User Guide, "AWS JSON policy
 * elements: Principal" — role and role-session principals). The policy engine evaluates web
 * identity only; this module covers the AWS-principal half the sandbox needs for chaining, and
 * refuses at load time what it does not evaluate (conditions on those statements) rather than
 * guessing.
 */
export interface ChainingStatement {
  readonly id: string;
  readonly effect: 'Allow' | 'Deny';
  readonly principals: readonly string[];
  readonly actions: { readonly negated: boolean; readonly patterns: readonly string[] };
}

export interface ChainingTrust {
  readonly statements: readonly ChainingStatement[];
  /** The whole document, for the policy engine's web-identity evaluation. */
  readonly webIdentityDocument: unknown;
}

export type ChainingDecision =
  { readonly accepted: true } | { readonly accepted: false; readonly deniedBy: string | undefined };

export const assumeRoleAction = 'sts:AssumeRole';

export function parseChainingTrust(document: unknown, source: string): ChainingTrust {
  const value = typeof document === 'string' ? parseJson(document, source) : document;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw usage(`${source} is not a JSON object.`);
  const raw = (value as Record<string, unknown>)['Statement'];
  const list: unknown[] = raw === undefined ? [] : Array.isArray(raw) ? (raw as unknown[]) : [raw];
  const statements: ChainingStatement[] = [];
  list.forEach((item, index) => {
    if (typeof item !== 'object' || item === null) return;
    const s = item as Record<string, unknown>;
    const principal = s['Principal'];
    const awsPrincipal =
      typeof principal === 'object' && principal !== null
        ? (principal as Record<string, unknown>)['AWS']
        : undefined;
    if (awsPrincipal === undefined) return;
    const sid = s['Sid'];
    const id = typeof sid === 'string' && sid !== '' ? sid : `Statement[${index}]`;
    const effect = s['Effect'];
    if (effect !== 'Allow' && effect !== 'Deny') return;
    const actionRaw = s['Action'] ?? s['NotAction'];
    const patterns = strings(actionRaw);
    const actions = { negated: s['Action'] === undefined, patterns };
    if (!actionApplies(actions) && effect === 'Allow') return;
    if (s['Condition'] !== undefined && actionApplies(actions))
      throw usage(
        `${source}: statement ${id} puts a Condition on sts:AssumeRole, which the sandbox does not evaluate; remove the Condition or test that role against real AWS.`,
      );
    statements.push({ id, effect, principals: strings(awsPrincipal), actions });
  });
  return { statements, webIdentityDocument: document };
}

/** Explicit Deny wins; otherwise an applicable Allow is needed, as for every IAM evaluation. */
export function evaluateChaining(trust: ChainingTrust, caller: Session): ChainingDecision {
  const applies = (s: ChainingStatement): boolean =>
    actionApplies(s.actions) && s.principals.some((p) => principalMatches(p, caller));
  const deny = trust.statements.find((s) => s.effect === 'Deny' && applies(s));
  if (deny !== undefined) return { accepted: false, deniedBy: deny.id };
  const allow = trust.statements.some((s) => s.effect === 'Allow' && applies(s));
  return allow ? { accepted: true } : { accepted: false, deniedBy: undefined };
}

function principalMatches(principal: string, caller: Session): boolean {
  const { account, arn, partition } = caller.role;
  if (principal === '*') return true;
  if (principal === account || principal === `arn:${partition}:iam::${account}:root`) return true;
  return principal === arn || principal === caller.assumedRoleArn;
}

function actionApplies(actions: ChainingStatement['actions']): boolean {
  const hit = actions.patterns.some((p) =>
    wildcardMatch(p, assumeRoleAction, { questionMark: true, ignoreCase: true }),
  );
  return actions.negated ? !hit : hit;
}

function strings(value: unknown): readonly string[] {
  const items: unknown[] = Array.isArray(value) ? (value as unknown[]) : [value];
  return items.filter((item): item is string => typeof item === 'string');
}

function parseJson(text: string, source: string): unknown {
  const trimmed = text.trim();
  try {
    return JSON.parse(/^%7b/i.test(trimmed) ? decodeURIComponent(trimmed) : trimmed) as unknown;
  } catch {
    throw usage(`${source} is not valid JSON.`);
  }
}

function usage(message: string): WifError {
  return new WifError('usage', message, {
    fix: 'Fix the aws-sts section of the sandbox config file.',
  });
}
