/**
 * CI-01: a pipeline step runs `gcloud auth activate-service-account --key-file`, which only
 * works with a long-lived service-account key, whether in a GitHub `run:` or a GitLab script.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { workflowJobs } from './support/github-workflow.ts';
import { gitlabJobs, globalScriptLines, scriptLines } from './support/gitlab-ci.ts';

const KEY_FILE_LOGIN = /\bgcloud\s+auth\s+activate-service-account\b[^\n]*--key-file\b/;

export const rule = defineRule({
  meta: {
    id: 'CI-01',
    title: 'gcloud login with a service-account key file',
    invariants: ['INV-5', 'INV-2'],
    severity: 'critical',
    appliesTo: ['github-workflow', 'gitlab-ci'],
    message: 'The pipeline logs gcloud in with a service-account key file.',
    fix: 'Use Workload Identity Federation (`gcloud iam workload-identity-pools create-cred-config` then `gcloud auth login --cred-file`, or google-github-actions/auth), and delete the key.',
    docsAnchor: 'ci-01',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    if (document.classification.kind === 'github-workflow') {
      for (const job of workflowJobs(document.value)) {
        for (const step of job.steps) {
          if (!KEY_FILE_LOGIN.test(step.run)) continue;
          findings.push({
            path: [...step.path, 'run'],
            message: `"${step.label}" runs gcloud auth activate-service-account with a key file.`,
            object: job.object,
          });
        }
      }
      return findings;
    }
    for (const line of globalScriptLines(document.value)) {
      if (KEY_FILE_LOGIN.test(line.line)) findings.push({ path: line.path });
    }
    for (const job of gitlabJobs(document.value)) {
      for (const line of scriptLines(job)) {
        if (!KEY_FILE_LOGIN.test(line.line)) continue;
        findings.push({
          path: line.path,
          message: `Job ${job.name} runs gcloud auth activate-service-account with a key file.`,
          object: job.object,
        });
      }
    }
    return findings;
  },
});
