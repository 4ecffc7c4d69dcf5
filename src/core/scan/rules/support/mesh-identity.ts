/**
 * Mesh identities as Linkerd policies write them: Linkerd names
 * (`<sa>.<ns>.serviceaccount.identity.linkerd.<trust domain>`, with an optional leading `*`
 * wildcard) and SPIFFE IDs. Decides whether an identity belongs to another trust domain
 * (federated) and what a wildcard in it spans.
 */
import { arrayAt } from '../../document.ts';
import type { DocPath, K8sDocument } from '../../document.ts';
import type { ScanConfig } from '../../config.ts';

/** Linkerd's default trust domain. */
export const LINKERD_DEFAULT_TRUST_DOMAIN = 'cluster.local';

const LINKERD_NAME = /^(.*)\.serviceaccount\.identity\.linkerd\.(.+)$/;
const SPIFFE_ID = /^spiffe:\/\/([^/]+)(\/.*)?$/;

export interface MeshIdentityRef {
  readonly path: DocPath;
  readonly value: string;
}

/** Identities listed by a ServerAuthorization or a MeshTLSAuthentication. */
export function meshIdentities(document: K8sDocument): readonly MeshIdentityRef[] {
  const kind = document.classification.k8sKind;
  const base: DocPath | undefined =
    kind === 'ServerAuthorization'
      ? ['spec', 'client', 'meshTLS', 'identities']
      : kind === 'MeshTLSAuthentication'
        ? ['spec', 'identities']
        : undefined;
  if (base === undefined || document.classification.family !== 'linkerd') return [];
  const found: MeshIdentityRef[] = [];
  arrayAt(document.value, base).forEach((value, index) => {
    if (typeof value === 'string') found.push({ path: [...base, index], value });
  });
  return found;
}

/** The trust domain an identity names, or undefined when it names none (`*`). */
export function trustDomainOf(identity: string): string | undefined {
  const spiffe = SPIFFE_ID.exec(identity);
  if (spiffe !== null) return spiffe[1];
  return LINKERD_NAME.exec(identity)?.[2];
}

/**
 * True for an identity from another trust domain: a SPIFFE ID outside the configured trust
 * domains (any SPIFFE ID when none are configured, since Linkerd names local workloads with
 * DNS-like identities), or a Linkerd name outside `cluster.local` and the configured domains.
 */
export function isFederated(identity: string, config: ScanConfig): boolean {
  const spiffe = SPIFFE_ID.exec(identity);
  if (spiffe !== null) {
    return config.trustDomains.length === 0 || !config.trustDomains.includes(spiffe[1] ?? '');
  }
  const domain = LINKERD_NAME.exec(identity)?.[2];
  if (domain === undefined) return false;
  return domain !== LINKERD_DEFAULT_TRUST_DOMAIN && !config.trustDomains.includes(domain);
}

/**
 * True when a wildcard in a local Linkerd identity stays inside one namespace:
 * `*.<namespace>.serviceaccount.identity.linkerd.<td>` with a literal namespace.
 */
export function wildcardStaysInNamespace(identity: string): boolean {
  const match = LINKERD_NAME.exec(identity);
  if (match === null) return false;
  const prefix = match[1] ?? '';
  const domain = match[2] ?? '';
  if (domain.includes('*')) return false;
  return /^\*\.[^.*]+$/.test(prefix);
}
