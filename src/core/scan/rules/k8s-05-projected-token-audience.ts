/**
 * K8S-05: a projected service-account token without `audience` is issued for the API server.
 * Handed to Vault or any other receiver, it can be replayed against the cluster API; an
 * audience binds the token to the one service meant to read it.
 */
import { isKind, objectAt } from '../document.ts';
import type { K8sDocument } from '../document.ts';
import { podTemplate, WORKLOAD_KINDS } from '../k8s.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { projectedTokens, volumesAt, volumesOf } from './support/pod-volumes.ts';
import type { VolumeRef } from './support/pod-volumes.ts';

const TEKTON_TASK_KINDS = new Set(['Task', 'ClusterTask']);

function volumesFor(document: K8sDocument): readonly VolumeRef[] {
  const template = podTemplate(document);
  if (template !== undefined) return volumesOf(template);
  if (
    document.classification.family === 'tekton' &&
    TEKTON_TASK_KINDS.has(document.classification.k8sKind)
  ) {
    const spec = objectAt(document.value, ['spec']);
    return spec === undefined ? [] : volumesAt(spec, ['spec']);
  }
  return [];
}

export const rule = defineRule({
  meta: {
    id: 'K8S-05',
    title: 'Projected token without audience',
    invariants: ['INV-4'],
    severity: 'medium',
    appliesTo: ['k8s'],
    k8sKinds: [...WORKLOAD_KINDS, 'Task', 'ClusterTask'],
    message:
      'The projected service-account token has no `audience`, so it is valid against the Kubernetes API and can be replayed there.',
    fix: 'Set `audience` on the serviceAccountToken source to the one receiver of the token, e.g. `vault`.',
    docsAnchor: 'k8s-05',
  },
  check(document) {
    if (!isKind(document, 'k8s')) return [];
    const findings: RuleFinding[] = [];
    for (const token of projectedTokens(volumesFor(document))) {
      const audience = token.source['audience'];
      if (typeof audience === 'string' && audience.trim() !== '') continue;
      findings.push({
        path: token.path,
        message: `The projected token in volume \`${token.volume.name}\` has no \`audience\`, so it is valid against the Kubernetes API and can be replayed there.`,
      });
    }
    return findings;
  },
});
