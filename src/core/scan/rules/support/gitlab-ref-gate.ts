/**
 * Whether a GitLab job's `rules:` or `only:` let it run only for protected refs (the default
 * branch, tags, `CI_COMMIT_REF_PROTECTED`). `rules:` are read as GitLab evaluates them: in
 * order, the first match decides, `when: never` excludes. A rule that can start the job must
 * either require a protected ref itself or come after a `never` rule that has excluded every
 * unprotected one; a mere mention of `$CI_DEFAULT_BRANCH` is not enough, since
 * `$CI_COMMIT_BRANCH != $CI_DEFAULT_BRANCH` runs everywhere but main.
 */
import { isObject } from '../../document.ts';

const DEFAULT_BRANCH_NAMES = new Set(['main', 'master']);

/** A variable, or a quoted main/master, on either side of an operator. */
const OPERAND = String.raw`(?:\$CI_DEFAULT_BRANCH|["'](?:main|master)["'])`;
const BRANCH = String.raw`\$CI_COMMIT_(?:BRANCH|REF_NAME)`;
const IS_DEFAULT_BRANCH = new RegExp(
  String.raw`${BRANCH}\s*==\s*${OPERAND}|${OPERAND}\s*==\s*${BRANCH}`,
);
const NOT_DEFAULT_BRANCH = new RegExp(
  String.raw`${BRANCH}\s*!=\s*${OPERAND}|${OPERAND}\s*!=\s*${BRANCH}`,
);
const IS_PROTECTED = /\$CI_COMMIT_REF_PROTECTED\s*==\s*["']?true["']?/;
const NOT_PROTECTED = /\$CI_COMMIT_REF_PROTECTED\s*!=\s*["']?true["']?/;
/** `$CI_COMMIT_TAG` tested for presence, not compared to null or negated. */
const IS_TAG = /(?<![!\w])\$CI_COMMIT_TAG(?!\s*(?:==|!=|=~|!~))/;

/** True when every way the expression can be true requires a protected ref. */
function requiresProtectedRef(expression: string): boolean {
  // With `||`, one side alone can admit any ref; parentheses could regroup, so be strict.
  if (/\|\||\(/.test(expression)) return false;
  return (
    IS_DEFAULT_BRANCH.test(expression) || IS_PROTECTED.test(expression) || IS_TAG.test(expression)
  );
}

/** True when the expression holds for every unprotected branch (so `when: never` drops them). */
function matchesEveryUnprotectedRef(expression: string): boolean {
  // With `&&`, the other side can leave some unprotected refs unmatched.
  if (/&&|\(/.test(expression)) return false;
  return NOT_DEFAULT_BRANCH.test(expression) || NOT_PROTECTED.test(expression);
}

function rulesGate(rules: readonly unknown[]): boolean {
  let unprotectedExcluded = false;
  for (const rule of rules) {
    if (!isObject(rule)) return false;
    const condition = typeof rule['if'] === 'string' ? rule['if'] : undefined;
    if (rule['when'] === 'never') {
      if (condition !== undefined && matchesEveryUnprotectedRef(condition)) {
        unprotectedExcluded = true;
      }
      continue;
    }
    if (unprotectedExcluded) continue;
    if (condition === undefined || !requiresProtectedRef(condition)) return false;
  }
  return true;
}

function onlyGate(only: unknown): boolean {
  const listed = isObject(only) ? only['refs'] : only;
  const refs = typeof listed === 'string' ? [listed] : listed;
  if (Array.isArray(refs) && refs.length > 0) {
    return refs.every(
      (ref) => typeof ref === 'string' && (DEFAULT_BRANCH_NAMES.has(ref) || ref === 'tags'),
    );
  }
  if (isObject(only) && Array.isArray(only['variables'])) {
    return only['variables'].some(
      (variable) => typeof variable === 'string' && requiresProtectedRef(variable),
    );
  }
  return false;
}

export function restrictedToProtectedRefs(job: Readonly<Record<string, unknown>>): boolean {
  const rules = job['rules'];
  if (Array.isArray(rules)) return rulesGate(rules);
  if (job['only'] !== undefined) return onlyGate(job['only']);
  return false;
}
