/**
 * CLD-11: a Teleport provision token that admits machines too easily: `join_method: token` (a
 * pre-shared secret) not marked bootstrap or single-use; a `github` join with an allow rule
 * that names no repository; an `iam` join with an allow rule open to any AWS account.
 */
import { arrayAt, entriesOf, isObject } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { provisionTokens } from './support/teleport.ts';
import type { ProvisionToken } from './support/teleport.ts';

/** Bot tokens are single-use in Teleport; a bootstrap label documents the exception. */
function markedSingleUse(token: ProvisionToken): boolean {
  const roles = arrayAt(token.spec, ['roles']);
  if (roles.length > 0 && roles.every((role) => role === 'Bot')) return true;
  return entriesOf(token.metadata['labels']).some(([key, value]) =>
    /bootstrap|single-use/i.test(`${key}=${String(value)}`),
  );
}

export const rule = defineRule({
  meta: {
    id: 'CLD-11',
    title: 'Teleport provision token too permissive',
    invariants: ['INV-2', 'INV-3'],
    severity: 'medium',
    appliesTo: ['unknown', 'terraform'],
    message:
      'The Teleport provision token admits machines by a reusable secret or without restricting who joins.',
    fix: 'Prefer `join_method: iam`, `gcp`, `azure` or `github` with an allow rule naming the account or repository; keep `token` joins for labelled, single-use bootstrap.',
    docsAnchor: 'cld-11',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const token of provisionTokens(document)) {
      const method = token.spec['join_method'];
      if ((method === undefined || method === 'token') && !markedSingleUse(token)) {
        findings.push({
          path: method === undefined ? token.specPath : [...token.specPath, 'join_method'],
          message: `Token ${token.name} joins with a reusable pre-shared secret and is not marked bootstrap or single-use.`,
          object: token.object,
        });
      }
      if (method === 'github') {
        const github = token.spec['github'];
        const rules = arrayAt(github, ['allow']);
        rules.forEach((rule, index) => {
          if (
            isObject(rule) &&
            typeof rule['repository'] === 'string' &&
            !rule['repository'].includes('*')
          )
            return;
          findings.push({
            path: [...token.specPath, 'github', 'allow', index],
            severity: 'high',
            message: `Token ${token.name} lets GitHub workflows join without naming one repository.`,
            object: token.object,
          });
        });
      }
      if (method === 'iam') {
        arrayAt(token.spec, ['allow']).forEach((rule, index) => {
          const account = isObject(rule) ? rule['aws_account'] : undefined;
          const arn = isObject(rule) ? rule['aws_arn'] : undefined;
          const open =
            account === undefined ||
            account === '*' ||
            (typeof arn === 'string' && /^arn:aws:[^:]*:[^:]*:\*:/.test(arn));
          if (!open) return;
          findings.push({
            path: [...token.specPath, 'allow', index],
            severity: 'high',
            message: `Token ${token.name} lets instances of any AWS account join.`,
            object: token.object,
          });
        });
      }
    }
    return findings;
  },
});
