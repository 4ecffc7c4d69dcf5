/**
 * CLD-06: an AWS IAM OIDC provider (`aws_iam_openid_connect_provider`) whose `client_id_list`
 * lacks `sts.amazonaws.com` (the audience AWS's own actions request), whose `url` is not
 * https, or whose issuer is neither configured (`issuers:` in .wif.yaml) nor a Kubernetes one.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { isKubernetesIssuer } from './support/aws-trust.ts';
import { isReference, terraformBlocks } from './support/terraform.ts';

function normalise(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

export const rule = defineRule({
  meta: {
    id: 'CLD-06',
    title: 'OIDC provider with an unexpected audience or issuer',
    invariants: ['INV-5'],
    severity: 'medium',
    appliesTo: ['terraform'],
    message:
      'The OIDC provider does not list `sts.amazonaws.com` or does not name an expected issuer.',
    fix: 'Set `url` to the configured issuer (e.g. `https://token.actions.githubusercontent.com`) and `client_id_list` to `["sts.amazonaws.com"]`.',
    docsAnchor: 'cld-06',
  },
  check(document, context) {
    const findings: RuleFinding[] = [];
    const issuers = new Set(context.config.issuers.map(normalise));
    for (const block of terraformBlocks(document.value, ['aws_iam_openid_connect_provider'])) {
      const url = block.body['url'];
      if (typeof url === 'string' && !isReference(url)) {
        const issuer = normalise(url);
        if (!issuer.startsWith('https://')) {
          findings.push({
            path: [...block.path, 'url'],
            message: `OIDC provider ${block.name} uses ${JSON.stringify(url)}, which is not an https issuer.`,
            object: block.object,
          });
        } else if (!issuers.has(issuer) && !isKubernetesIssuer(issuer.slice('https://'.length))) {
          findings.push({
            path: [...block.path, 'url'],
            severity: 'low',
            message: `OIDC provider ${block.name} trusts ${issuer}, which is not a configured issuer.`,
            object: block.object,
          });
        }
      }
      const clients = block.body['client_id_list'];
      if (
        Array.isArray(clients) &&
        !clients.some(isReference) &&
        !clients.includes('sts.amazonaws.com')
      ) {
        findings.push({
          path: [...block.path, 'client_id_list'],
          message: `OIDC provider ${block.name} does not list sts.amazonaws.com in client_id_list.`,
          object: block.object,
        });
      }
    }
    return findings;
  },
});
