/**
 * Recognises Secrets written by the External Secrets Operator, the only Secrets INV-2 allows.
 * ESO stamps the Secrets it owns with an owner reference to their ExternalSecret and with
 * `reconcile.external-secrets.io/*` labels and annotations (`created-by`, `managed`, `data-hash`).
 */
import { arrayAt, entriesOf, getAt, isObject } from '../../document.ts';
import type { K8sDocument } from '../../document.ts';

const ESO_GROUP = 'external-secrets.io';
const ESO_METADATA_PREFIX = 'reconcile.external-secrets.io/';

function ownedByExternalSecret(document: K8sDocument): boolean {
  return arrayAt(document.value, ['metadata', 'ownerReferences']).some(
    (owner) =>
      isObject(owner) &&
      owner['kind'] === 'ExternalSecret' &&
      typeof owner['apiVersion'] === 'string' &&
      owner['apiVersion'].startsWith(`${ESO_GROUP}/`),
  );
}

function hasEsoMetadata(document: K8sDocument, field: 'labels' | 'annotations'): boolean {
  return entriesOf(getAt(document.value, ['metadata', field])).some(([key]) =>
    key.startsWith(ESO_METADATA_PREFIX),
  );
}

export function isEsoManaged(document: K8sDocument): boolean {
  return (
    ownedByExternalSecret(document) ||
    hasEsoMetadata(document, 'labels') ||
    hasEsoMetadata(document, 'annotations')
  );
}
