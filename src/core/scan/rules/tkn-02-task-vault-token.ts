/**
 * TKN-02: a Tekton task that logs in to Vault with a projected token whose audience is not
 * `vault`, or whose `expirationSeconds` is over 600 (the catalogue's Vault token lifetime). A
 * missing audience is K8S-05's finding.
 */
import { arrayAt, getAt, isKind, isObject, walk } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { stepsOf, taskSpecs } from './support/tekton.ts';
import type { TaskSpec } from './support/tekton.ts';

const LIFETIME = 600;

/** True when a step of the task reaches Vault (a `vault` login or VAULT_ADDR). */
function usesVault(task: TaskSpec): boolean {
  return stepsOf(task).some(({ step }) => {
    const script = step['script'];
    if (typeof script === 'string' && /\bvault\b|\/v1\/auth\//.test(script)) return true;
    return arrayAt(step, ['env']).some((env) => isObject(env) && env['name'] === 'VAULT_ADDR');
  });
}

export const rule = defineRule({
  meta: {
    id: 'TKN-02',
    title: 'Tekton Vault token with the wrong audience or lifetime',
    invariants: ['INV-4', 'INV-2'],
    severity: 'medium',
    appliesTo: ['k8s'],
    k8sKinds: ['Task', 'ClusterTask', 'TaskRun', 'Pipeline', 'PipelineRun'],
    message:
      'The task projects a token for Vault with an audience other than `vault` or a lifetime over 600 s.',
    fix: 'Project the token with `audience: vault` and `expirationSeconds: 600`.',
    docsAnchor: 'tkn-02',
  },
  check(document) {
    if (!isKind(document, 'k8s')) return [];
    const findings: RuleFinding[] = [];
    for (const task of taskSpecs(document)) {
      if (!usesVault(task)) continue;
      walk(task.spec, ({ path, value, key }) => {
        if (key !== 'serviceAccountToken' || !isObject(value)) return;
        const base = [...task.path, ...path];
        const audience = value['audience'];
        if (typeof audience === 'string' && audience !== 'vault') {
          findings.push({
            path: [...base, 'audience'],
            message: `${task.label} projects a Vault token for audience ${JSON.stringify(audience)}, not vault.`,
          });
        }
        const lifetime = getAt(value, ['expirationSeconds']);
        if (typeof lifetime === 'number' && lifetime > LIFETIME) {
          findings.push({
            path: [...base, 'expirationSeconds'],
            message: `${task.label} projects a Vault token living ${lifetime} s, over ${LIFETIME} s.`,
          });
        }
      });
    }
    return findings;
  },
});
