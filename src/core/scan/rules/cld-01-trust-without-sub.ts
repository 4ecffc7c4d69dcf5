/**
 * CLD-01: an AWS role trusts an OIDC provider for `sts:AssumeRoleWithWebIdentity` with no
 * condition on the token's `sub`, so every identity the issuer mints (for GitHub: every
 * workflow of every repository on github.com) can assume the role.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import {
  positiveConditions,
  unverifiableCondition,
  webIdentityTrusts,
} from './support/aws-trust.ts';

/** Claims that pin the caller as firmly as `sub` for GitHub's issuer. */
const SUB_EQUIVALENTS = ['sub', 'repository', 'repository_id', 'job_workflow_ref'];
/** Cognito identity pools are pinned by `aud` (the pool ID); their `sub` is a per-user ID. */
const COGNITO = 'cognito-identity.amazonaws.com';

export const rule = defineRule({
  meta: {
    id: 'CLD-01',
    title: 'Web-identity trust without a sub condition',
    invariants: ['INV-5', 'INV-7'],
    severity: 'critical',
    appliesTo: ['aws-iam-policy', 'terraform'],
    message:
      'The role trusts an OIDC provider with no condition on the token subject, so any of its identities can assume it.',
    fix: 'Add `StringEquals` on `<issuer>:sub` pinned to one repository and ref or environment, e.g. `repo:<org>/<repo>:environment:production`.',
    docsAnchor: 'cld-01',
  },
  check(document, context) {
    const findings: RuleFinding[] = [];
    for (const trust of webIdentityTrusts(document, context)) {
      for (const statement of trust.statements) {
        const pinning = statement.issuer === COGNITO ? ['aud'] : SUB_EQUIVALENTS;
        if (pinning.some((claim) => positiveConditions(statement, claim).length > 0)) continue;
        // Conditions generated at plan time may test the claim: say so, at low.
        const unverifiable = unverifiableCondition(trust, statement, pinning[0] ?? 'sub');
        if (unverifiable !== undefined) {
          findings.push(unverifiable);
          continue;
        }
        findings.push({
          path: statement.principalPath,
          message: `Role ${trust.name} trusts ${statement.issuer ?? 'an OIDC provider'} with no \`sub\` condition.`,
          ...(trust.object === undefined ? {} : { object: trust.object }),
        });
      }
    }
    return findings;
  },
});
