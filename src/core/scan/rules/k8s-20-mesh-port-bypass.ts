/**
 * K8S-20: Linkerd's skip-port annotations route traffic around the proxy entirely, so those
 * ports carry no mTLS and no identity. Opaque ports keep mTLS between meshed pods but lose
 * protocol detection and per-route authorization, a smaller loss reported at low severity.
 * Every use needs a reviewed waiver.
 */
import { entriesOf, getAt, isKind } from '../document.ts';
import type { DocPath } from '../document.ts';
import { podTemplate, WORKLOAD_KINDS } from '../k8s.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';

const SKIP = new Set([
  'config.linkerd.io/skip-inbound-ports',
  'config.linkerd.io/skip-outbound-ports',
]);
const OPAQUE = 'config.linkerd.io/opaque-ports';

function checkAnnotations(annotations: unknown, path: DocPath): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const [key, value] of entriesOf(annotations)) {
    const ports =
      typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
    if (ports === '') continue;
    if (SKIP.has(key)) {
      const direction = key.includes('inbound') ? 'inbound' : 'outbound';
      findings.push({
        path: [...path, key],
        message: `\`${key}: "${ports}"\` sends ${direction} traffic on those ports around the Linkerd proxy, without mTLS or identity.`,
      });
    } else if (key === OPAQUE) {
      findings.push({
        path: [...path, key],
        severity: 'low',
        message: `\`${OPAQUE}: "${ports}"\` turns off protocol detection on those ports, so route-level authorization does not apply to them.`,
      });
    }
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
      const path: DocPath = [...template.path, 'metadata', 'annotations'];
      return checkAnnotations(getAt(document.value, path), path);
    }
    if (document.classification.k8sKind === 'Namespace') {
      return checkAnnotations(getAt(document.value, ['metadata', 'annotations']), [
        'metadata',
        'annotations',
      ]);
    }
    return [];
  },
});
