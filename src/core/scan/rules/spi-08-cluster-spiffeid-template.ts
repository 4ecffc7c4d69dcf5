/**
 * SPI-08: a ClusterSPIFFEID whose `spiffeIDTemplate` does not render
 * `ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}`: pods of different
 * namespaces or service accounts then share one identity (a constant template gives every
 * selected pod the same ID). Read from ClusterSPIFFEID objects and the Helm chart's
 * `clusterSPIFFEIDs` values.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { clusterSpiffeIdSpecs } from './support/spire.ts';

const NS_SA_TEMPLATE =
  /\/ns\/\{\{\s*\.PodMeta\.Namespace\s*\}\}\/sa\/\{\{\s*\.PodSpec\.ServiceAccountName\s*\}\}(?:$|\/)/;

export const rule = defineRule({
  meta: {
    id: 'SPI-08',
    title: 'ClusterSPIFFEID template not bound to namespace and service account',
    invariants: ['INV-7', 'INV-1'],
    severity: 'high',
    appliesTo: ['spire-helm-values', 'k8s'],
    k8sKinds: ['ClusterSPIFFEID'],
    message:
      'The ClusterSPIFFEID template does not derive the ID from the namespace and service account of the pod.',
    fix: 'Set `spiffeIDTemplate: "spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}"`.',
    docsAnchor: 'spi-08',
  },
  check(document) {
    return clusterSpiffeIdSpecs(document).flatMap(({ spec, path }): RuleFinding[] => {
      const template = spec['spiffeIDTemplate'];
      if (typeof template !== 'string' || NS_SA_TEMPLATE.test(template)) return [];
      const constant =
        !template.includes('{{') || /^spiffe:\/\/\{\{\s*\.TrustDomain\s*\}\}[^{]*$/.test(template);
      return [
        {
          path: [...path, 'spiffeIDTemplate'],
          message: constant
            ? `spiffeIDTemplate ${JSON.stringify(template)} is constant, so every selected pod gets the same identity.`
            : `spiffeIDTemplate ${JSON.stringify(template)} does not contain ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}.`,
        },
      ];
    });
  },
});
