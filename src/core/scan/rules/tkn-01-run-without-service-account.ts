/**
 * TKN-01: a PipelineRun or TaskRun that names no service account (`taskRunTemplate`,
 * `taskRunSpecs[]` or, in older APIs, `serviceAccountName`), or names `default`: its pods run
 * as the namespace's shared default identity, which Vault and cloud roles cannot tell apart.
 */
import { arrayAt, getAt, isKind, isObject } from '../document.ts';
import type { DocPath } from '../document.ts';
import { defineRule } from '../rule.ts';

/** Where a run may name its service account, by kind and API generation. */
const ACCOUNT_PATHS: readonly DocPath[] = [
  ['spec', 'taskRunTemplate', 'serviceAccountName'],
  ['spec', 'serviceAccountName'],
];

export const rule = defineRule({
  meta: {
    id: 'TKN-01',
    title: 'Tekton run without a dedicated service account',
    invariants: ['INV-1', 'INV-7'],
    severity: 'medium',
    appliesTo: ['k8s'],
    k8sKinds: ['PipelineRun', 'TaskRun'],
    message:
      'The run does not name a dedicated service account, so its pods use the namespace default.',
    fix: 'Set `spec.taskRunTemplate.serviceAccountName` (PipelineRun) or `spec.serviceAccountName` (TaskRun) to a service account created for this pipeline.',
    docsAnchor: 'tkn-01',
  },
  check(document) {
    if (!isKind(document, 'k8s') || document.classification.family !== 'tekton') return [];
    for (const path of ACCOUNT_PATHS) {
      const name = getAt(document.value, path);
      if (typeof name !== 'string') continue;
      if (name !== 'default') return [];
      return [
        {
          path,
          message: `${document.classification.k8sKind} ${document.classification.name} runs as the \`default\` service account.`,
        },
      ];
    }
    const perTask = arrayAt(document.value, ['spec', 'taskRunSpecs']).filter(
      (spec) =>
        isObject(spec) &&
        typeof spec['serviceAccountName'] === 'string' &&
        spec['serviceAccountName'] !== 'default',
    );
    if (perTask.length > 0) return [];
    return [
      {
        path: isObject(getAt(document.value, ['spec'])) ? ['spec'] : [],
        message: `${document.classification.k8sKind} ${document.classification.name} names no service account, so it runs as \`default\`.`,
      },
    ];
  },
});
