/**
 * CLD-10: an Azure federated identity credential (`azuread_application_federated_identity_credential`,
 * `azurerm_federated_identity_credential`) whose subject is a pattern, whose issuer is not a
 * configured CI or cluster issuer, or whose audience is not `api://AzureADTokenExchange`.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { isKubernetesIssuer } from './support/aws-trust.ts';
import { isReference, terraformBlocks } from './support/terraform.ts';

const AZURE_AUDIENCE = 'api://AzureADTokenExchange';

export const rule = defineRule({
  meta: {
    id: 'CLD-10',
    title: 'Azure federated credential too broad or misconfigured',
    invariants: ['INV-5', 'INV-7'],
    severity: 'high',
    appliesTo: ['terraform'],
    message:
      'The Azure federated identity credential has a wildcard subject, an unexpected issuer or an unexpected audience.',
    fix: 'Use an exact subject such as `repo:<org>/<repo>:environment:production`, the CI issuer, and the audience `api://AzureADTokenExchange`.',
    docsAnchor: 'cld-10',
  },
  check(document, context) {
    const findings: RuleFinding[] = [];
    const issuers = new Set(context.config.issuers.map((issuer) => issuer.replace(/\/+$/, '')));
    const blocks = terraformBlocks(document.value, [
      'azuread_application_federated_identity_credential',
      'azurerm_federated_identity_credential',
    ]);
    for (const block of blocks) {
      const subject = block.body['subject'];
      if (typeof subject === 'string' && !isReference(subject) && /[*?]/.test(subject)) {
        findings.push({
          path: [...block.path, 'subject'],
          message: `${block.name} accepts subject ${JSON.stringify(subject)}; Azure needs an exact subject per repository and ref or environment.`,
          object: block.object,
        });
      }
      const issuer = block.body['issuer'];
      if (typeof issuer === 'string' && !isReference(issuer)) {
        const normalised = issuer.replace(/\/+$/, '');
        if (
          !issuers.has(normalised) &&
          !isKubernetesIssuer(normalised.replace(/^https:\/\//, ''))
        ) {
          findings.push({
            path: [...block.path, 'issuer'],
            message: `${block.name} trusts issuer ${issuer}, which is not a configured issuer.`,
            object: block.object,
          });
        }
      }
      const key = block.type === 'azurerm_federated_identity_credential' ? 'audience' : 'audiences';
      const audiences = block.body[key];
      if (Array.isArray(audiences) && !audiences.some(isReference)) {
        const unexpected = (audiences as readonly unknown[]).filter(
          (audience) => audience !== AZURE_AUDIENCE,
        );
        if (unexpected.length > 0 || audiences.length === 0) {
          findings.push({
            path: [...block.path, key],
            message: `${block.name} accepts audience ${unexpected.map((a) => JSON.stringify(a)).join(', ') || '(none)'} instead of ${AZURE_AUDIENCE}.`,
            object: block.object,
          });
        }
      }
    }
    return findings;
  },
});
