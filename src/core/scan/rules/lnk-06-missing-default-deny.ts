/**
 * LNK-06: a Server denies what its authorizations do not allow, but ports without a Server
 * fall back to the default inbound policy, which is `all-unauthenticated` unless configured.
 * A namespace that declares Servers therefore also needs a default deny: the namespace
 * annotation `config.linkerd.io/default-inbound-policy: deny` (RFC §11.3.3 uses an empty
 * ServerAuthorization selecting every Server, which is accepted too). Reported once per
 * namespace, on its first Server in the scan.
 */
import { getAt, isKind, isObject } from '../document.ts';
import type { K8sDocument } from '../document.ts';
import { annotation } from '../k8s.ts';
import type { ScanContext } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { namespaceObject } from './support/linkerd-injection.ts';
import { groupBy } from './support/group-by.ts';
import { perScan } from './support/per-scan.ts';

const DEFAULT_POLICY = 'config.linkerd.io/default-inbound-policy';

function byNamespace(objects: readonly K8sDocument[]): Map<string, K8sDocument[]> {
  return groupBy(objects, (object) =>
    object.classification.family === 'linkerd'
      ? (object.classification.namespace ?? undefined)
      : undefined,
  );
}

const serversByNamespace = (context: ScanContext): Map<string, K8sDocument[]> =>
  byNamespace(context.k8sObjects('Server'));
const authorizationsByNamespace = (context: ScanContext): Map<string, K8sDocument[]> =>
  byNamespace(context.k8sObjects('ServerAuthorization'));

/** An authorization selecting every Server (`selector: {}` or empty `matchLabels`) and nobody. */
function isDenyAll(authorization: K8sDocument): boolean {
  const selector = getAt(authorization.value, ['spec', 'server', 'selector']);
  if (!isObject(selector)) return false;
  const labels = selector['matchLabels'];
  const expressions = selector['matchExpressions'];
  const selectsAll =
    (labels === undefined || (isObject(labels) && Object.keys(labels).length === 0)) &&
    (expressions === undefined || (Array.isArray(expressions) && expressions.length === 0));
  if (!selectsAll) return false;
  const client = getAt(authorization.value, ['spec', 'client']);
  if (!isObject(client) || client['unauthenticated'] === true) return false;
  const identities = getAt(client, ['meshTLS', 'identities']);
  const accounts = getAt(client, ['meshTLS', 'serviceAccounts']);
  const none = (value: unknown): boolean =>
    value === undefined || (Array.isArray(value) && value.length === 0);
  return none(identities) && none(accounts);
}

export const rule = defineRule({
  meta: {
    id: 'LNK-06',
    title: 'Namespace with Servers but no default deny',
    invariants: ['INV-6', 'INV-7'],
    severity: 'medium',
    appliesTo: ['k8s'],
    k8sKinds: ['Server'],
    message:
      'The namespace declares Linkerd Servers but no default-deny policy, so ports without a Server accept any client.',
    fix: `Annotate the Namespace \`${DEFAULT_POLICY}: deny\` so only ports with a Server and an authorization accept traffic.`,
    docsAnchor: 'lnk-06',
  },
  check(document, context) {
    if (!isKind(document, 'k8s') || document.classification.family !== 'linkerd') return [];
    const namespace = document.classification.namespace;
    if (namespace === null) return [];
    const first = perScan(context, serversByNamespace).get(namespace)?.[0];
    if (first !== document) return [];
    const object = namespaceObject(context, namespace);
    if (object !== undefined && annotation(object, DEFAULT_POLICY) === 'deny') return [];
    const authorizations = perScan(context, authorizationsByNamespace).get(namespace) ?? [];
    if (authorizations.some(isDenyAll)) return [];
    return [
      {
        path: ['metadata', 'namespace'],
        message: `Namespace \`${namespace}\` declares Linkerd Servers but no default deny (\`${DEFAULT_POLICY}: deny\` on the Namespace${object === undefined ? ', which is not in this scan' : ''}), so ports without a Server accept any client.`,
      },
    ];
  },
});
