/**
 * Decides what a parsed document is, from its content first and its path second. Content wins
 * because repositories name files freely; the path only settles shapes that content cannot
 * (a GitHub workflow versus any YAML with `jobs`).
 */
import { getAt, isObject } from './document.ts';
import type { Classification, K8sFamily, PlainObject, SourceFormat } from './document.ts';

const CORE_FAMILIES: Readonly<Record<string, K8sFamily>> = {
  Pod: 'workload',
  Deployment: 'workload',
  StatefulSet: 'workload',
  DaemonSet: 'workload',
  ReplicaSet: 'workload',
  ReplicationController: 'workload',
  Job: 'workload',
  CronJob: 'workload',
  ServiceAccount: 'service-account',
  Secret: 'secret',
  ConfigMap: 'config-map',
  Role: 'rbac',
  ClusterRole: 'rbac',
  RoleBinding: 'rbac',
  ClusterRoleBinding: 'rbac',
  Namespace: 'namespace',
};

/** API groups of the operators the catalogue knows, matched on the group's suffix. */
const GROUP_FAMILIES: readonly (readonly [string, K8sFamily])[] = [
  ['external-secrets.io', 'external-secrets'],
  ['linkerd.io', 'linkerd'],
  ['istio.io', 'istio'],
  ['argoproj.io', 'argocd'],
  ['toolkit.fluxcd.io', 'flux'],
  ['tekton.dev', 'tekton'],
  ['spire.spiffe.io', 'spire'],
  ['kargo.akuity.io', 'kargo'],
  ['gateway.networking.k8s.io', 'gateway'],
];

/**
 * Families by apiVersion, then kind: a scan sees a few dozen pairs across thousands of objects.
 * Nested rather than keyed by a joined string, so a lookup hashes strings the parser made once.
 */
const familyCache = new Map<string, Map<string, K8sFamily>>();
/** Hostile input could name endless distinct kinds; past this many, families are computed. */
const FAMILY_CACHE_LIMIT = 4096;
let familiesCached = 0;

function familyOf(apiVersion: string, kind: string): K8sFamily {
  let byKind = familyCache.get(apiVersion);
  const cached = byKind?.get(kind);
  if (cached !== undefined) return cached;
  const family = familyFor(apiVersion, kind);
  if (familiesCached < FAMILY_CACHE_LIMIT) {
    if (byKind === undefined) {
      byKind = new Map();
      familyCache.set(apiVersion, byKind);
    }
    byKind.set(kind, family);
    familiesCached += 1;
  }
  return family;
}

function familyFor(apiVersion: string, kind: string): K8sFamily {
  const group = apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';
  const core = CORE_FAMILIES[kind];
  // Core kinds only count from their own groups; a CRD may reuse a name such as `Secret`.
  if (
    core !== undefined &&
    (group === '' || group.endsWith('k8s.io') || ['apps', 'batch'].includes(group))
  ) {
    return core;
  }
  for (const [suffix, family] of GROUP_FAMILIES) {
    if (group === suffix || group.endsWith(`.${suffix}`)) return family;
  }
  return 'other';
}

function ownValue(object: PlainObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function classifyKubernetes(value: PlainObject): Classification | undefined {
  const apiVersion = value['apiVersion'];
  const kind = value['kind'];
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  // Read in place rather than through getAt: this runs for every object of a scan, and a path
  // literal per call is an allocation. Own keys only, as getAt reads them.
  const metadata = ownValue(value, 'metadata');
  const name = isObject(metadata) ? ownValue(metadata, 'name') : undefined;
  const namespace = isObject(metadata) ? ownValue(metadata, 'namespace') : undefined;
  return {
    kind: 'k8s',
    apiVersion,
    k8sKind: kind,
    family: familyOf(apiVersion, kind),
    name: typeof name === 'string' ? name : '',
    namespace: typeof namespace === 'string' ? namespace : null,
  };
}

const VAULT_ROLE_KEYS = [
  'bound_service_account_names',
  'bound_service_account_namespaces',
  'bound_audiences',
  'bound_claims',
  'bound_subject',
  'role_type',
  'user_claim',
  'secret_id_num_uses',
  'secret_id_ttl',
  'token_policies',
];

function isStatementList(value: unknown): boolean {
  return Array.isArray(value) || isObject(value);
}

function isIamPolicy(value: PlainObject): boolean {
  if (isStatementList(value['Statement']) && ('Version' in value || 'Id' in value)) return true;
  if (isObject(value['AssumeRolePolicyDocument'])) return true;
  const role = value['Role'];
  return isObject(role) && ('AssumeRolePolicyDocument' in role || 'Arn' in role);
}

function isVaultPolicy(value: PlainObject): boolean {
  const paths = value['path'];
  if (!isObject(paths)) return false;
  return Object.values(paths).some((rule) => {
    const first: unknown = Array.isArray(rule) ? (rule as readonly unknown[])[0] : rule;
    return isObject(first) && ('capabilities' in first || 'policy' in first);
  });
}

function isSpireEntries(value: unknown): boolean {
  const list: unknown = Array.isArray(value)
    ? value
    : isObject(value)
      ? (value['entries'] ?? value['entry'])
      : undefined;
  if (!Array.isArray(list) || list.length === 0) return false;
  const first: unknown = (list as readonly unknown[])[0];
  return isObject(first) && ('spiffe_id' in first || 'spiffeId' in first || 'spiffeID' in first);
}

/**
 * Values for the `spire` umbrella chart (spiffe/helm-charts-hardened): its `spire-server`
 * subchart's settings, or the `global.spire` block every subchart reads.
 */
function isSpireHelmValues(value: PlainObject): boolean {
  if (isObject(value['spire-server'])) return true;
  const global = value['global'];
  return isObject(global) && isObject(global['spire']);
}

function isGitlabCi(path: string, value: PlainObject): boolean {
  const name = path.split('/').pop() ?? path;
  if (/\.gitlab-ci\.ya?ml$/.test(name) || /(^|\/)\.gitlab\//.test(path)) return true;
  // A component header (`spec: inputs:`) or top-level jobs with `script`/`trigger`/`extends`.
  if (isObject(value['spec']) && isObject(getAt(value, ['spec', 'inputs']))) return true;
  if ('stages' in value || 'include' in value) return true;
  return Object.values(value).some(
    (job) => isObject(job) && ('script' in job || 'trigger' in job || 'extends' in job),
  );
}

/** The last path lower-cased: a file's documents are classified one after another. */
let lastPath: string | undefined;
let lastLowerPath = '';

function lowerCased(path: string): string {
  if (path !== lastPath) {
    lastPath = path;
    lastLowerPath = path.toLowerCase();
  }
  return lastLowerPath;
}

/** Classifies one parsed document; `path` is relative to the scan root. */
export function classify(path: string, format: SourceFormat, value: unknown): Classification {
  const lowerPath = lowerCased(path);
  if (format === 'hcl' || lowerPath.endsWith('.tf.json')) {
    if (lowerPath.endsWith('.tf') || lowerPath.endsWith('.tf.json')) return { kind: 'terraform' };
    if (!isObject(value)) return { kind: 'unknown' };
    if (isVaultPolicy(value)) return { kind: 'vault-policy' };
    if ('server' in value) return { kind: 'spire-config', component: 'server' };
    if ('agent' in value && 'plugins' in value) return { kind: 'spire-config', component: 'agent' };
    if ('auto_auth' in value) return { kind: 'vault-agent-config' };
    if ('resource' in value || 'data' in value || 'module' in value) return { kind: 'terraform' };
    return { kind: 'unknown' };
  }
  if (isSpireEntries(value)) return { kind: 'spire-entries' };
  if (!isObject(value)) return { kind: 'unknown' };
  const kubernetes = classifyKubernetes(value);
  if (kubernetes !== undefined) return kubernetes;
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(lowerPath) && 'jobs' in value) {
    return { kind: 'github-workflow' };
  }
  if (/(^|\/)action\.ya?ml$/.test(lowerPath) && 'runs' in value) return { kind: 'github-action' };
  if (format === 'json') {
    if (isIamPolicy(value)) return { kind: 'aws-iam-policy' };
    if (isVaultPolicy(value)) return { kind: 'vault-policy' };
    const role = isObject(value['data']) ? value['data'] : value;
    if (VAULT_ROLE_KEYS.some((key) => key in role)) return { kind: 'vault-role' };
    return { kind: 'unknown' };
  }
  if ('on' in value && isObject(value['jobs'])) return { kind: 'github-workflow' };
  if (isGitlabCi(lowerPath, value)) return { kind: 'gitlab-ci' };
  if (isSpireHelmValues(value)) return { kind: 'spire-helm-values' };
  if (isIamPolicy(value)) return { kind: 'aws-iam-policy' };
  return { kind: 'unknown' };
}
