/**
 * VLT-18: long-lived Vault tokens for workloads: a token role or token with a `period`
 * (renewable forever), or an explicit max TTL of 0 (no ceiling). Sources: token-role payloads,
 * Terraform `vault_token_auth_backend_role` and `vault_token`, and `vault token create -period`
 * in pipeline scripts.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { durationSeconds } from './support/durations.ts';
import { workflowJobs } from './support/github-workflow.ts';
import { gitlabJobs, scriptLines } from './support/gitlab-ci.ts';
import { terraformBlocks } from './support/terraform.ts';
import { roleField, vaultRoles } from './support/vault-roles.ts';

const PERIODIC_CREATE = /\bvault\s+token\s+create\b[^\n]*\s-period[= ]/;

export const rule = defineRule({
  meta: {
    id: 'VLT-18',
    title: 'Periodic or uncapped Vault token',
    invariants: ['INV-2'],
    severity: 'high',
    appliesTo: ['vault-role', 'terraform', 'github-workflow', 'gitlab-ci'],
    message: 'A Vault token is periodic or has no maximum lifetime, so it can live forever.',
    fix: 'Authenticate the workload through Kubernetes, JWT or AppRole auth with `token_ttl` ≤ 1 h, and drop `period` and zero `explicit_max_ttl`.',
    docsAnchor: 'vlt-18',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    const kind = document.classification.kind;
    for (const role of vaultRoles(document)) {
      if (role.type !== 'token') continue;
      const period = roleField(role, 'token_period', 'period');
      if (period !== undefined && (durationSeconds(period.value) ?? 1) > 0) {
        findings.push({
          path: period.path,
          message: `Token role ${role.name} issues periodic tokens (${period.key} ${String(period.value)}) that renew forever.`,
          object: role.object,
        });
      }
      const cap = roleField(role, 'token_explicit_max_ttl', 'explicit_max_ttl');
      if (cap !== undefined && durationSeconds(cap.value) === 0) {
        findings.push({
          path: cap.path,
          message: `Token role ${role.name} sets ${cap.key} 0, so its tokens have no maximum lifetime.`,
          object: role.object,
        });
      }
    }
    if (kind === 'terraform') {
      for (const block of terraformBlocks(document.value, ['vault_token'])) {
        for (const key of ['period', 'explicit_max_ttl'] as const) {
          const seconds = durationSeconds(block.body[key]);
          if (seconds === undefined || (key === 'period' ? seconds === 0 : seconds !== 0)) continue;
          findings.push({
            path: [...block.path, key],
            message:
              key === 'period'
                ? `vault_token.${block.name} is periodic and renews forever.`
                : `vault_token.${block.name} sets explicit_max_ttl 0, so it has no maximum lifetime.`,
            object: block.object,
          });
        }
      }
    }
    if (kind === 'github-workflow') {
      for (const job of workflowJobs(document.value)) {
        for (const step of job.steps) {
          if (PERIODIC_CREATE.test(step.run))
            findings.push({ path: [...step.path, 'run'], object: job.object });
        }
      }
    }
    if (kind === 'gitlab-ci') {
      for (const job of gitlabJobs(document.value)) {
        for (const line of scriptLines(job)) {
          if (PERIODIC_CREATE.test(line.line))
            findings.push({ path: line.path, object: job.object });
        }
      }
    }
    return findings;
  },
});
