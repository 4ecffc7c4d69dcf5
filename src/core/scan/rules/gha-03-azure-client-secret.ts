/**
 * GHA-03: a GitHub workflow signs in to Azure with a client secret: azure/login `creds` (the
 * service-principal JSON with `clientSecret`), or `AZURE_CLIENT_SECRET` / `ARM_CLIENT_SECRET`
 * in `env:`. OIDC needs only `client-id`, `tenant-id` and `subscription-id`.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { envEntries, isStaticValue, workflowJobs } from './support/github-workflow.ts';

const SECRET_ENV_NAMES = new Set(['AZURE_CLIENT_SECRET', 'ARM_CLIENT_SECRET']);

export const rule = defineRule({
  meta: {
    id: 'GHA-03',
    title: 'Azure client secret in a GitHub workflow',
    invariants: ['INV-5', 'INV-2'],
    severity: 'critical',
    appliesTo: ['github-workflow'],
    message: 'The workflow signs in to Azure with a service-principal client secret.',
    fix: 'Add a federated identity credential for this repository to the app registration, pass `client-id`, `tenant-id` and `subscription-id` to azure/login with `id-token: write`, then delete the client secret.',
    docsAnchor: 'gha-03',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const job of workflowJobs(document.value)) {
      for (const step of job.steps) {
        if (step.action !== 'azure/login' || !isStaticValue(step.inputs['creds'])) continue;
        findings.push({
          path: [...step.path, 'with', 'creds'],
          message: `"${step.label}" passes \`creds\` (a client secret) to azure/login instead of OIDC.`,
          object: job.object,
        });
      }
    }
    for (const entry of envEntries(document.value)) {
      if (!SECRET_ENV_NAMES.has(entry.name) || !isStaticValue(entry.value)) continue;
      findings.push({
        path: entry.path,
        message: `${entry.name} in ${entry.where} passes a static Azure client secret instead of OIDC.`,
        ...(entry.object === undefined ? {} : { object: entry.object }),
      });
    }
    return findings;
  },
});
