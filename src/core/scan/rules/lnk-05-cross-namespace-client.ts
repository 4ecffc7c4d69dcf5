/**
 * LNK-05: crossing a namespace boundary is allowed only when explicit (RFC §5.4.2). The rule
 * lists each explicit crossing so a reviewer sees it; it is information, not a violation.
 */
import { arrayAt, isKind, isObject } from '../document.ts';
import type { DocPath } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';

const SOURCES: Readonly<Record<string, DocPath>> = {
  ServerAuthorization: ['spec', 'client', 'meshTLS', 'serviceAccounts'],
  MeshTLSAuthentication: ['spec', 'identityRefs'],
};

export const rule = defineRule({
  meta: {
    id: 'LNK-05',
    title: 'Client from another namespace authorized',
    invariants: ['INV-7'],
    severity: 'info',
    appliesTo: ['k8s'],
    k8sKinds: Object.keys(SOURCES),
    message: 'The policy authorizes a ServiceAccount of another namespace.',
    fix: 'Confirm the cross-namespace client is intended; keep it to the exact ServiceAccount it needs.',
    docsAnchor: 'lnk-05',
  },
  check(document) {
    if (!isKind(document, 'k8s') || document.classification.family !== 'linkerd') return [];
    const base = SOURCES[document.classification.k8sKind];
    const own = document.classification.namespace;
    if (base === undefined || own === null) return [];
    const findings: RuleFinding[] = [];
    arrayAt(document.value, base).forEach((entry, index) => {
      if (!isObject(entry)) return;
      if (
        document.classification.k8sKind === 'MeshTLSAuthentication' &&
        entry['kind'] !== 'ServiceAccount'
      )
        return;
      const namespace = entry['namespace'];
      const name = entry['name'];
      if (typeof namespace !== 'string' || namespace === own) return;
      findings.push({
        path: [...base, index, 'namespace'],
        message: `ServiceAccount \`${namespace}/${typeof name === 'string' ? name : '?'}\` from another namespace is authorized in \`${own}\`.`,
      });
    });
    return findings;
  },
});
