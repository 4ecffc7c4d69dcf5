/**
 * GHA-04: a GitHub workflow logs in to Vault with a stored credential: hashicorp/vault-action
 * with a token, or with AppRole on a GitHub-hosted runner, or `VAULT_TOKEN` from a secret.
 * The JWT method with the job's OIDC token needs no stored secret.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import {
  envEntries,
  isStaticValue,
  runsOnSelfHosted,
  workflowJobs,
} from './support/github-workflow.ts';

/** vault-action methods that need a stored secret (its `method` input; default `token`). */
const STORED_SECRET_METHODS = new Set(['token', 'approle', 'userpass', 'ldap', 'github', 'cert']);

export const rule = defineRule({
  meta: {
    id: 'GHA-04',
    title: 'Vault login with a stored secret in a GitHub workflow',
    invariants: ['INV-5', 'INV-2'],
    severity: 'high',
    appliesTo: ['github-workflow'],
    message:
      "The workflow logs in to Vault with a stored token or secret instead of the job's OIDC token.",
    fix: 'Use hashicorp/vault-action with `method: jwt`, `path: github-actions` and a `role` bound to this repository, and grant the job `id-token: write`.',
    docsAnchor: 'gha-04',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const job of workflowJobs(document.value)) {
      for (const step of job.steps) {
        if (step.action !== 'hashicorp/vault-action') continue;
        const rawMethod = step.inputs['method'];
        const method = typeof rawMethod === 'string' ? rawMethod.trim().toLowerCase() : 'token';
        if (!STORED_SECRET_METHODS.has(method)) continue;
        // AppRole is tolerated on self-hosted runners, where no OIDC-capable platform may exist.
        if (method === 'approle' && runsOnSelfHosted(job)) continue;
        const path =
          rawMethod !== undefined
            ? [...step.path, 'with', 'method']
            : step.inputs['token'] !== undefined
              ? [...step.path, 'with', 'token']
              : [...step.path, 'uses'];
        findings.push({
          path,
          message: `"${step.label}" logs in to Vault with method ${method}, a stored secret, instead of \`method: jwt\`.`,
          object: job.object,
        });
      }
    }
    for (const entry of envEntries(document.value)) {
      if (entry.name !== 'VAULT_TOKEN' || !isStaticValue(entry.value)) continue;
      findings.push({
        path: entry.path,
        message: `VAULT_TOKEN in ${entry.where} passes a long-lived Vault token from a stored secret.`,
        ...(entry.object === undefined ? {} : { object: entry.object }),
      });
    }
    return findings;
  },
});
