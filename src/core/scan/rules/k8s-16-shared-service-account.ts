/**
 * K8S-16: one ServiceAccount per workload (RFC §5.1.2). Two Deployments sharing an account
 * share every Vault policy, SPIFFE ID, mesh identity and cloud role bound to it, so neither can
 * be granted less than the other needs.
 */
import { isKind } from '../document.ts';
import type { K8sDocument } from '../document.ts';
import { podTemplate } from '../k8s.ts';
import type { ScanContext } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { serviceAccountNameOf } from './support/pod-volumes.ts';
import { groupBy } from './support/group-by.ts';
import { perScan } from './support/per-scan.ts';

/** Long-running workloads; Jobs often run as their parent's account by design. */
const LONG_RUNNING = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;

function accountOf(document: K8sDocument): string | undefined {
  const template = podTemplate(document);
  return template === undefined ? undefined : serviceAccountNameOf(template)?.name;
}

/** Long-running workloads of the scan by namespace and ServiceAccount. */
function workloadsByAccount(context: ScanContext): Map<string, K8sDocument[]> {
  return groupBy(
    LONG_RUNNING.flatMap((kind) => context.k8sObjects(kind)),
    (workload) => {
      const account = accountOf(workload);
      return account === undefined
        ? undefined
        : `${workload.classification.namespace ?? ''}\u0000${account}`;
    },
  );
}

export const rule = defineRule({
  meta: {
    id: 'K8S-16',
    title: 'ServiceAccount shared by several workloads',
    invariants: ['INV-7'],
    severity: 'low',
    appliesTo: ['k8s'],
    k8sKinds: LONG_RUNNING,
    message:
      'Several workloads share one ServiceAccount, and with it every permission bound to it.',
    fix: 'Give each workload its own ServiceAccount and bind to each only what that workload needs.',
    docsAnchor: 'k8s-16',
  },
  check(document, context) {
    if (!isKind(document, 'k8s')) return [];
    const template = podTemplate(document);
    const account = template === undefined ? undefined : serviceAccountNameOf(template);
    // No account or `default` is K8S-03's finding.
    if (account === undefined || account.name === 'default') return [];
    const { namespace, name, k8sKind } = document.classification;
    const group =
      perScan(context, workloadsByAccount).get(`${namespace ?? ''}\u0000${account.name}`) ?? [];
    // The common case: the workload is alone with its account, and there is nothing to compare.
    if (group.length === 1 && group[0] === document) return [];
    const others = group
      .filter(
        (other) =>
          other !== document &&
          !(other.classification.k8sKind === k8sKind && other.classification.name === name),
      )
      .map((other) => `${other.classification.k8sKind}/${other.classification.name}`);
    if (others.length === 0) return [];
    return [
      {
        path: account.path,
        message: `ServiceAccount \`${account.name}\` is also used by ${[...new Set(others)].sort().join(', ')}.`,
      },
    ];
  },
});
