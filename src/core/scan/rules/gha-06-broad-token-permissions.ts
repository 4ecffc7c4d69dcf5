/**
 * GHA-06: the workflow's GITHUB_TOKEN is broader than needed: `permissions: write-all`; no
 * `permissions` block at all (the repository default applies, often read-write); or
 * `id-token: write` granted to every job when only some exchange an OIDC token. A reusable
 * workflow (`on: workflow_call` alone) without a block inherits its caller's permissions, so
 * only the caller, in its own file, can be too broad.
 */
import { isObject } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import {
  credentialUse,
  exchangesOidc,
  isReusableOnly,
  reusableCalls,
  workflowJobs,
} from './support/github-workflow.ts';

export const rule = defineRule({
  meta: {
    id: 'GHA-06',
    title: 'Broad GITHUB_TOKEN permissions',
    invariants: ['INV-7'],
    severity: 'medium',
    appliesTo: ['github-workflow'],
    message: 'The workflow grants its jobs broader token permissions than they need.',
    fix: 'Set `permissions: { contents: read }` at the workflow level and grant `id-token: write` (and any write scope) only on the jobs that use it.',
    docsAnchor: 'gha-06',
  },
  check(document, context) {
    const workflow = document.value;
    if (!isObject(workflow)) return [];
    const findings: RuleFinding[] = [];
    const jobs = workflowJobs(workflow);
    const top = workflow['permissions'];
    if (top === 'write-all') {
      findings.push({
        path: ['permissions'],
        message: 'The workflow sets `permissions: write-all`, giving every job every write scope.',
      });
    }
    for (const job of jobs) {
      if (job.job['permissions'] !== 'write-all') continue;
      findings.push({
        path: [...job.path, 'permissions'],
        message: `Job ${job.id} sets \`permissions: write-all\`, giving it every write scope.`,
        object: job.object,
      });
    }
    // A reusable workflow without a block runs with its caller's permissions, which are judged
    // in the caller's own file; there is no repository default here to complain about.
    if (top === undefined && !isReusableOnly(workflow)) {
      const unscoped = jobs.filter((job) => job.job['permissions'] === undefined);
      if (unscoped.length > 0) {
        findings.push({
          path: ['jobs'],
          message: `No \`permissions\` block applies to ${unscoped.map((job) => job.id).join(', ')}, so the repository's default token scopes do.`,
        });
      }
    }
    if (isObject(top) && top['id-token'] === 'write') {
      // A job calling a reusable workflow needs the grant when the called workflow exchanges a
      // token, and may need it when the scan does not hold the called workflow.
      const callers = new Map(reusableCalls(document, context).map((call) => [call.job, call]));
      const needing = jobs.filter((job) => {
        const call = callers.get(job);
        if (call !== undefined)
          return call.called === undefined || exchangesOidc(call.called.value);
        return job.steps.some((step) => credentialUse(step) === 'oidc');
      });
      const inheriting = jobs.filter((job) => job.job['permissions'] === undefined);
      const idle = inheriting.filter((job) => !needing.includes(job));
      if (idle.length > 0 && needing.length > 0) {
        findings.push({
          path: ['permissions', 'id-token'],
          severity: 'low',
          message: `\`id-token: write\` is granted workflow-wide, but ${idle.map((job) => job.id).join(', ')} never exchange an OIDC token.`,
        });
      }
    }
    return findings;
  },
});
