/**
 * LNK-04: revoking a federation deletes its ServerAuthorizations by label
 * (`kubectl delete serverauthorization -l federation=<td>`, RFC §12.8.3). One that admits a
 * peer's identities without that label survives the revocation.
 */
import { isKind } from '../document.ts';
import { label } from '../k8s.ts';
import { defineRule } from '../rule.ts';
import { isFederated, meshIdentities, trustDomainOf } from './support/mesh-identity.ts';

export const rule = defineRule({
  meta: {
    id: 'LNK-04',
    title: 'Federated authorization without its federation label',
    invariants: ['INV-10'],
    severity: 'low',
    appliesTo: ['k8s'],
    k8sKinds: ['ServerAuthorization'],
    message:
      'A ServerAuthorization admitting federated identities lacks the `federation: <trust domain>` label revocation selects on.',
    fix: 'Label the ServerAuthorization `federation: <peer trust domain>` so revoking the federation removes it.',
    docsAnchor: 'lnk-04',
  },
  check(document, context) {
    if (!isKind(document, 'k8s')) return [];
    const domains = [
      ...new Set(
        meshIdentities(document)
          .filter((identity) => isFederated(identity.value, context.config))
          .map((identity) => trustDomainOf(identity.value))
          .filter((domain): domain is string => domain !== undefined),
      ),
    ];
    if (domains.length === 0) return [];
    const written = label(document, 'federation');
    if (written !== undefined && domains.includes(written)) return [];
    return [
      {
        path: written === undefined ? ['metadata', 'name'] : ['metadata', 'labels', 'federation'],
        message:
          written === undefined
            ? `ServerAuthorization \`${document.classification.name}\` admits identities of \`${domains.join('`, `')}\` but has no \`federation\` label, so revoking the federation leaves it in place.`
            : `ServerAuthorization \`${document.classification.name}\` is labelled \`federation: ${written}\` but admits identities of \`${domains.join('`, `')}\`.`,
      },
    ];
  },
});
