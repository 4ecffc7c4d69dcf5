/**
 * K8S-20: Linkerd's skip-port annotations route traffic around the proxy entirely, so those
 * ports carry no mTLS and no identity. Opaque ports keep mTLS between meshed pods but lose
 * protocol detection and per-route authorization, a smaller loss reported at low severity.
 * Every use needs a reviewed waiver.
 */
import { isKind, isObject } from '../document.ts';
import type { DocPath } from '../document.ts';
import { podTemplate, WORKLOAD_KINDS } from '../k8s.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';

const SKIP = [
  'config.linkerd.io/skip-inbound-ports',
  'config.linkerd.io/skip-outbound-ports',
] as const;
const OPAQUE = 'config.linkerd.io/opaque-ports';

function portsOf(annotations: Readonly<Record<string, unknown>>, key: string): string {
  if (!Object.hasOwn(annotations, key)) return '';
  const value = annotations[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

/**
 * Findings for the port annotations of `metadata` (an object's or a pod template's), at
 * `metadataPath`. The three keys are looked up rather than every annotation walked: this runs
 * for every workload, and most carry annotations of other tools only.
 */
function checkAnnotations(metadata: unknown, metadataPath: DocPath): RuleFinding[] {
  const findings: RuleFinding[] = [];
  if (!isObject(metadata) || !Object.hasOwn(metadata, 'annotations')) return findings;
  const annotations = metadata['annotations'];
  if (!isObject(annotations)) return findings;
  for (const key of SKIP) {
    const ports = portsOf(annotations, key);
    if (ports === '') continue;
    const direction = key.includes('inbound') ? 'inbound' : 'outbound';
    findings.push({
      path: [...metadataPath, 'annotations', key],
      message: `\`${key}: "${ports}"\` sends ${direction} traffic on those ports around the Linkerd proxy, without mTLS or identity.`,
    });
  }
  const opaque = portsOf(annotations, OPAQUE);
  if (opaque !== '') {
    findings.push({
      path: [...metadataPath, 'annotations', OPAQUE],
      severity: 'low',
      message: `\`${OPAQUE}: "${opaque}"\` turns off protocol detection on those ports, so route-level authorization does not apply to them.`,
    });
  }
  return findings;
}

export const rule = defineRule({
  meta: {
    id: 'K8S-20',
    title: 'Traffic bypasses the Linkerd proxy',
    invariants: ['INV-6'],
    severity: 'medium',
    appliesTo: ['k8s'],
    k8sKinds: ['Namespace', ...WORKLOAD_KINDS],
    message: "A Linkerd port annotation takes traffic out of the proxy's mTLS and policy.",
    fix: 'Remove the port annotation, or record a waiver with a justification naming the ports and why they cannot be meshed.',
    docsAnchor: 'k8s-20',
  },
  check(document) {
    if (!isKind(document, 'k8s')) return [];
    const template = podTemplate(document);
    if (template !== undefined) {
      // The template's metadata as written (podTemplate gives `{}` when there is none).
      return checkAnnotations(template.metadata, [...template.path, 'metadata']);
    }
    if (document.classification.k8sKind === 'Namespace' && isObject(document.value)) {
      return checkAnnotations(
        Object.hasOwn(document.value, 'metadata') ? document.value['metadata'] : undefined,
        ['metadata'],
      );
    }
    return [];
  },
});
