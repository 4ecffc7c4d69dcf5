/**
 * AUD-02: a Namespace meshed by Linkerd (`linkerd.io/inject: enabled`) with no trace collector
 * (`config.linkerd.io/trace-collector`), while the scan holds no linkerd-jaeger injector that
 * would set it at admission: proxy spans are dropped and requests cannot be correlated across
 * services (INV-12). Namespaces carry the setting for all their pods, so they alone are checked.
 */
import { getAt, isObject } from '../document.ts';
import type { ScanContext } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { perScan } from './support/per-scan.ts';

const INJECT = 'linkerd.io/inject';
const COLLECTOR = 'config.linkerd.io/trace-collector';

/** True when the linkerd-jaeger extension's injector (which sets the collector) is scanned. */
function jaegerInjectorPresent(context: ScanContext): boolean {
  return context
    .k8sObjects('Deployment')
    .some((document) => document.classification.name === 'jaeger-injector');
}

export const rule = defineRule({
  meta: {
    id: 'AUD-02',
    title: 'Meshed namespace without a trace collector',
    invariants: ['INV-12'],
    severity: 'info',
    appliesTo: ['k8s'],
    k8sKinds: ['Namespace'],
    message:
      'Linkerd meshes this namespace without a trace collector, so its requests are not correlated across services.',
    fix: 'Set `config.linkerd.io/trace-collector: <collector>.<namespace>:55678` on the Namespace, or install linkerd-jaeger with `webhook.collectorSvcAddr`.',
    docsAnchor: 'aud-02',
  },
  check(document, context) {
    const annotations = getAt(document.value, ['metadata', 'annotations']);
    if (!isObject(annotations) || annotations[INJECT] !== 'enabled') return [];
    if (annotations[COLLECTOR] !== undefined) return [];
    if (perScan(context, jaegerInjectorPresent)) return [];
    return [{ path: ['metadata', 'annotations', INJECT] }];
  },
});
