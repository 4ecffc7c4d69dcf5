/**
 * K8S-19: `linkerd.io/inject: disabled` opts a Namespace or a pod out of the mesh, so its
 * traffic runs in plaintext with no workload identity (INV-6). The RFC asks admission to refuse
 * the opt-out; the scanner refuses it before merge. Only Linkerd's own control plane is exempt.
 */
import { isKind } from '../document.ts';
import type { DocPath } from '../document.ts';
import { annotation, WORKLOAD_KINDS } from '../k8s.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import {
  INJECT_ANNOTATION,
  injectionValue,
  LINKERD_CONTROL_PLANE_NAMESPACES,
  podInjection,
} from './support/linkerd-injection.ts';

export const rule = defineRule({
  meta: {
    id: 'K8S-19',
    title: 'Linkerd injection disabled',
    invariants: ['INV-6'],
    severity: 'high',
    appliesTo: ['k8s'],
    k8sKinds: ['Namespace', ...WORKLOAD_KINDS],
    message:
      '`linkerd.io/inject: disabled` takes these pods out of the mesh, so their traffic runs without mTLS.',
    fix: 'Remove the annotation or set it to `enabled`; traffic that must bypass the proxy needs a reviewed port exception instead.',
    docsAnchor: 'k8s-19',
  },
  check(document) {
    if (!isKind(document, 'k8s')) return [];
    const { k8sKind, name, namespace } = document.classification;
    const home = k8sKind === 'Namespace' ? name : namespace;
    if (home !== null && LINKERD_CONTROL_PLANE_NAMESPACES.has(home)) return [];
    const findings: RuleFinding[] = [];
    const objectPath: DocPath = ['metadata', 'annotations', INJECT_ANNOTATION];
    const pod = podInjection(document);
    const objectDisabled = injectionValue(annotation(document, INJECT_ANNOTATION)) === 'disabled';
    if (k8sKind === 'Namespace' && objectDisabled) {
      findings.push({
        path: objectPath,
        message: `Namespace \`${name}\` sets \`${INJECT_ANNOTATION}: disabled\`, so none of its pods join the mesh.`,
      });
    }
    if (pod?.injection === 'disabled') {
      findings.push({ path: pod.path });
    } else if (pod !== undefined && objectDisabled && pod.path.length > objectPath.length) {
      // On a Deployment's own metadata the annotation does nothing for its pods, but it states
      // the intent and is usually copied to the template next.
      findings.push({
        path: objectPath,
        message: `${k8sKind} \`${name}\` is annotated \`${INJECT_ANNOTATION}: disabled\`, declaring its pods outside the mesh.`,
      });
    }
    return findings;
  },
});
