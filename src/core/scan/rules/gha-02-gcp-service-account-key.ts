/**
 * GHA-02: a GitHub workflow authenticates to Google Cloud with a service-account key
 * (google-github-actions/auth `credentials_json`, or setup-gcloud's legacy
 * `service_account_key`) instead of Workload Identity Federation.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { isStaticValue, workflowJobs } from './support/github-workflow.ts';

const KEY_INPUTS: Readonly<Record<string, string>> = {
  'google-github-actions/auth': 'credentials_json',
  'google-github-actions/setup-gcloud': 'service_account_key',
};

export const rule = defineRule({
  meta: {
    id: 'GHA-02',
    title: 'GCP service-account key in a GitHub workflow',
    invariants: ['INV-5', 'INV-2'],
    severity: 'critical',
    appliesTo: ['github-workflow'],
    message: 'The workflow authenticates to Google Cloud with a long-lived service-account key.',
    fix: 'Grant `id-token: write` and pass `workload_identity_provider` (plus `service_account` if needed) to google-github-actions/auth; then delete the key in IAM and the repository secret.',
    docsAnchor: 'gha-02',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const job of workflowJobs(document.value)) {
      for (const step of job.steps) {
        const input = step.action === undefined ? undefined : KEY_INPUTS[step.action];
        if (input === undefined || !isStaticValue(step.inputs[input])) continue;
        findings.push({
          path: [...step.path, 'with', input],
          message: `"${step.label}" passes a service-account key as \`${input}\` instead of Workload Identity Federation.`,
          object: job.object,
        });
      }
    }
    return findings;
  },
});
