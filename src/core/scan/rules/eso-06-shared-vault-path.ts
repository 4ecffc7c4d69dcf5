/**
 * ESO-06: repository credentials and cluster credentials live at different Vault paths
 * (RFC §7.6.2), and each cluster has its own, so one leaked or revoked credential touches one
 * purpose and one environment. This rule compares the ExternalSecrets of the scan: a path read
 * both for repo and for cluster credentials, or one path feeding the credentials of two
 * clusters, is reported.
 */
import { arrayAt, getAt, isKind, isObject, stringAt } from '../document.ts';
import type { DocPath, K8sDocument } from '../document.ts';
import type { RuleFinding, ScanContext } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { ARGOCD_REPO_TYPES, ARGOCD_SECRET_TYPE_LABEL } from './support/argocd-secret.ts';
import { perScan } from './support/per-scan.ts';

type Purpose = 'repository' | 'cluster';

interface RemoteRead {
  readonly path: DocPath;
  /** Store and key together: the same key in two stores is two different secrets. */
  readonly location: string;
  readonly key: string;
}

interface Reader {
  readonly document: K8sDocument;
  readonly purpose: Purpose | undefined;
  readonly target: string;
  readonly reads: readonly RemoteRead[];
}

function readerOf(document: K8sDocument): Reader {
  const label = getAt(document.value, [
    'spec',
    'target',
    'template',
    'metadata',
    'labels',
    ARGOCD_SECRET_TYPE_LABEL,
  ]);
  const purpose: Purpose | undefined =
    label === 'cluster'
      ? 'cluster'
      : typeof label === 'string' && ARGOCD_REPO_TYPES.has(label)
        ? 'repository'
        : undefined;
  const store = `${stringAt(document.value, ['spec', 'secretStoreRef', 'kind']) ?? 'SecretStore'}/${stringAt(document.value, ['spec', 'secretStoreRef', 'name']) ?? ''}`;
  const reads: RemoteRead[] = [];
  const add = (path: DocPath, key: unknown): void => {
    if (typeof key === 'string' && key !== '')
      reads.push({ path, location: `${store}\u0000${key}`, key });
  };
  arrayAt(document.value, ['spec', 'data']).forEach((item, index) => {
    if (isObject(item))
      add(['spec', 'data', index, 'remoteRef', 'key'], getAt(item, ['remoteRef', 'key']));
  });
  arrayAt(document.value, ['spec', 'dataFrom']).forEach((item, index) => {
    if (isObject(item))
      add(['spec', 'dataFrom', index, 'extract', 'key'], getAt(item, ['extract', 'key']));
  });
  return {
    document,
    purpose,
    target: stringAt(document.value, ['spec', 'target', 'name']) ?? document.classification.name,
    reads,
  };
}

function readersByDocument(context: ScanContext): Map<K8sDocument, Reader> {
  return new Map(context.k8sObjects('ExternalSecret').map((es) => [es, readerOf(es)]));
}

/** ExternalSecrets with a known purpose, by each store and key they read. */
function readersByLocation(context: ScanContext): Map<string, Reader[]> {
  const index = new Map<string, Reader[]>();
  for (const reader of perScan(context, readersByDocument).values()) {
    if (reader.purpose === undefined) continue;
    for (const location of new Set(reader.reads.map((read) => read.location))) {
      const list = index.get(location) ?? [];
      list.push(reader);
      index.set(location, list);
    }
  }
  return index;
}

export const rule = defineRule({
  meta: {
    id: 'ESO-06',
    title: 'One Vault path for several credential purposes',
    invariants: ['INV-7'],
    severity: 'low',
    appliesTo: ['k8s'],
    k8sKinds: ['ExternalSecret'],
    message: 'One Vault path feeds credentials of different purposes or clusters.',
    fix: 'Keep repository credentials under `secret/platform/<operator>/...` and give each cluster its own `secret/platform/clusters/<env>` path.',
    docsAnchor: 'eso-06',
  },
  check(document, context) {
    if (!isKind(document, 'k8s') || document.classification.family !== 'external-secrets')
      return [];
    const self = perScan(context, readersByDocument).get(document) ?? readerOf(document);
    if (self.purpose === undefined) return [];
    const byLocation = perScan(context, readersByLocation);
    const findings: RuleFinding[] = [];
    for (const read of self.reads) {
      const sharing = (byLocation.get(read.location) ?? []).filter((other) => other !== self);
      const crossPurpose = sharing.find((other) => other.purpose !== self.purpose);
      const otherCluster = sharing.find(
        (other) =>
          self.purpose === 'cluster' && other.purpose === 'cluster' && other.target !== self.target,
      );
      const culprit = crossPurpose ?? otherCluster;
      if (culprit === undefined) continue;
      const name = `${culprit.document.classification.namespace ?? ''}/${culprit.document.classification.name}`;
      findings.push({
        path: read.path,
        message:
          crossPurpose !== undefined
            ? `Vault key \`${read.key}\` feeds ${self.purpose} credentials here and ${crossPurpose.purpose ?? '?'} credentials in ExternalSecret \`${name}\`.`
            : `Vault key \`${read.key}\` feeds the credentials of cluster \`${self.target}\` and of cluster \`${culprit.target}\` (ExternalSecret \`${name}\`).`,
      });
    }
    return findings;
  },
});
