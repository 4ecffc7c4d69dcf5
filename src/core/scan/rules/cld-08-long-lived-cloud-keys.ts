/**
 * CLD-08: Terraform mints a long-lived cloud credential: a GCP service-account key, an AWS IAM
 * access key, or an Azure application / service-principal password. The secret also lands in
 * the Terraform state in clear text.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { nestedBlocks, terraformBlocks } from './support/terraform.ts';

const KEY_RESOURCES: Readonly<Record<string, string>> = {
  google_service_account_key: 'a GCP service-account key',
  aws_iam_access_key: 'an AWS IAM access key',
  azuread_application_password: 'an Azure application client secret',
  azuread_service_principal_password: 'an Azure service-principal client secret',
};

export const rule = defineRule({
  meta: {
    id: 'CLD-08',
    title: 'Long-lived cloud credential resource',
    invariants: ['INV-2'],
    severity: 'critical',
    appliesTo: ['terraform'],
    message:
      'Terraform creates a long-lived cloud credential whose secret also lands in the state.',
    fix: 'Delete the resource and federate instead: AWS OIDC role trust, GCP Workload Identity Federation, or an Azure federated identity credential.',
    docsAnchor: 'cld-08',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const block of terraformBlocks(document.value, Object.keys(KEY_RESOURCES))) {
      findings.push({
        path: block.path,
        message: `${block.type}.${block.name} creates ${KEY_RESOURCES[block.type] ?? 'a static credential'}.`,
        object: block.object,
      });
    }
    for (const block of terraformBlocks(document.value, ['azuread_application'])) {
      for (const password of nestedBlocks(block.body, block.path, 'password')) {
        findings.push({
          path: password.path,
          message: `azuread_application.${block.name} declares a \`password\` (a client secret).`,
          object: block.object,
        });
      }
    }
    return findings;
  },
});
