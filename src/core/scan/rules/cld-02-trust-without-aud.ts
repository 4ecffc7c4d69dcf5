/**
 * CLD-02: an AWS web-identity trust statement with no condition on the token's `aud`. GitHub
 * tokens for AWS carry `sts.amazonaws.com`; without the condition, a token minted for another
 * audience (another cloud, Vault) is accepted as long as the provider lists it.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import {
  positiveConditions,
  unverifiableCondition,
  webIdentityTrusts,
} from './support/aws-trust.ts';

export const rule = defineRule({
  meta: {
    id: 'CLD-02',
    title: 'Web-identity trust without an aud condition',
    invariants: ['INV-5'],
    severity: 'high',
    appliesTo: ['aws-iam-policy', 'terraform'],
    message: 'The role trusts an OIDC provider with no condition on the token audience.',
    fix: 'Add `StringEquals` on `<issuer>:aud` = `sts.amazonaws.com` (or the audience your pipeline requests).',
    docsAnchor: 'cld-02',
  },
  check(document, context) {
    const findings: RuleFinding[] = [];
    for (const trust of webIdentityTrusts(document, context)) {
      for (const statement of trust.statements) {
        if (positiveConditions(statement, 'aud').length > 0) continue;
        // Conditions generated at plan time may test the claim: say so, at low.
        const unverifiable = unverifiableCondition(trust, statement, 'aud');
        if (unverifiable !== undefined) {
          findings.push(unverifiable);
          continue;
        }
        findings.push({
          path: statement.principalPath,
          message: `Role ${trust.name} trusts ${statement.issuer ?? 'an OIDC provider'} with no \`aud\` condition.`,
          ...(trust.object === undefined ? {} : { object: trust.object }),
        });
      }
    }
    return findings;
  },
});
