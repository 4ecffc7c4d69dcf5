/**
 * VLT-09: a CI JWT role that does not pin the caller. GitHub roles need `bound_claims` (or
 * `bound_subject`) naming the `repository`, and for production the `ref` or `environment`;
 * GitLab roles need `project_path`, and for production `ref` or `ref_protected`. Without any
 * binding, every pipeline of every project the issuer serves can log in.
 */
import { isObject } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { isProdRole, jwtFamily, roleField, vaultRoles } from './support/vault-roles.ts';

const REQUIRED = {
  github: {
    caller: ['repository', 'repository_id', 'job_workflow_ref'],
    ref: ['ref', 'environment', 'job_workflow_ref'],
  },
  gitlab: { caller: ['project_path', 'project_id'], ref: ['ref', 'ref_protected', 'environment'] },
} as const;

export const rule = defineRule({
  meta: {
    id: 'VLT-09',
    title: 'CI JWT role without repository or ref binding',
    invariants: ['INV-5', 'INV-7'],
    severity: 'high',
    appliesTo: ['vault-role', 'terraform'],
    message:
      'The CI JWT role does not bind the repository (and, for production, the ref) it serves.',
    fix: 'Set `bound_claims` to the repository and ref, e.g. `{"repository": "<org>/<repo>", "ref": "refs/heads/main"}` for GitHub or `{"project_path": "<group>/<project>", "ref_protected": "true"}` for GitLab.',
    docsAnchor: 'vlt-09',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const role of vaultRoles(document)) {
      if (role.type !== 'jwt') continue;
      const family = jwtFamily(role);
      if (family !== 'github' && family !== 'gitlab') continue;
      const claims = roleField(role, 'bound_claims');
      const subject = roleField(role, 'bound_subject');
      const keys = isObject(claims?.value) ? Object.keys(claims.value) : [];
      if (keys.length === 0 && subject === undefined) {
        findings.push({
          path: role.path,
          severity: 'critical',
          message: `${family === 'github' ? 'GitHub' : 'GitLab'} role ${role.name} has no bound_claims or bound_subject: every pipeline of the issuer can log in.`,
          object: role.object,
        });
        continue;
      }
      const required = REQUIRED[family];
      const missing: string[] = [];
      // A bound_subject (`repo:<org>/<repo>:…`) pins the caller as firmly as the claim.
      if (subject === undefined && !required.caller.some((claim) => keys.includes(claim))) {
        missing.push(required.caller[0]);
      }
      if (
        isProdRole(role) &&
        subject === undefined &&
        !required.ref.some((claim) => keys.includes(claim))
      ) {
        missing.push(required.ref[0]);
      }
      if (missing.length === 0) continue;
      findings.push({
        path: claims?.path ?? subject?.path ?? role.path,
        message: `${family === 'github' ? 'GitHub' : 'GitLab'} role ${role.name} binds no ${missing.join(' or ')} claim.`,
        object: role.object,
      });
    }
    return findings;
  },
});
