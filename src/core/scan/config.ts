/**
 * The scanner's configuration, read from `.wif.yaml` at the scan root (or `--config`). Every
 * field has a default, so a repository without the file scans with the suite's defaults.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CORE_SCHEMA, loadAll, YAMLException } from 'js-yaml';
import { WifError } from '../errors.ts';
import { isObject } from './document.ts';
import { isSeverity, SEVERITIES } from './severity.ts';
import type { Severity } from './severity.ts';

/** A path-scoped suppression from `.wif.yaml` (`ignore:`). */
export interface ConfigIgnore {
  /** A rule id (`K8S-01`) or an invariant (`INV-2`). */
  readonly rule: string;
  /** Globs relative to the scan root; empty means every file. */
  readonly paths: readonly string[];
  /** Why the finding is accepted; required. */
  readonly reason: string;
  /** Last day (UTC, `YYYY-MM-DD`) the suppression holds; afterwards the finding is back. */
  readonly until: string | null;
}

export interface ScanConfig {
  /** When set, only these rule ids run. */
  readonly enable: readonly string[] | null;
  /** Rule ids that never run. */
  readonly disable: readonly string[];
  /** Per-rule severity overrides, by rule id. */
  readonly severity: Readonly<Record<string, Severity>>;
  /** SPIFFE trust domains workloads may use, e.g. `prod.example.com`. Empty: not checked. */
  readonly trustDomains: readonly string[];
  /** Namespaces owned by the platform (SPIRE, Linkerd, Vault, ESO, Argo CD, …). */
  readonly platformNamespaces: readonly string[];
  /** Cluster naming: the names of the clusters, and the Vault K8s-auth mount pattern. */
  readonly clusters: {
    readonly names: readonly string[];
    /** Vault Kubernetes auth mount for a cluster; `{cluster}` is replaced. Default `kubernetes-{cluster}`. */
    readonly vaultMount: string;
  };
  /** OIDC issuers CI trust policies and Vault JWT mounts may name. */
  readonly issuers: readonly string[];
  readonly ignore: readonly ConfigIgnore[];
}

export const DEFAULT_PLATFORM_NAMESPACES: readonly string[] = [
  'kube-system',
  'spire',
  'spire-system',
  'linkerd',
  'linkerd-viz',
  'vault',
  'external-secrets',
  'argocd',
  'flux-system',
  'tekton-pipelines',
  'cert-manager',
];

export const DEFAULT_CONFIG: ScanConfig = {
  enable: null,
  disable: [],
  severity: {},
  trustDomains: [],
  platformNamespaces: DEFAULT_PLATFORM_NAMESPACES,
  clusters: { names: [], vaultMount: 'kubernetes-{cluster}' },
  issuers: ['https://token.actions.githubusercontent.com', 'https://gitlab.com'],
  ignore: [],
};

function configError(file: string, message: string): WifError {
  return new WifError('usage', `${file}: ${message}.`, {
    fix: 'Correct the configuration; docs/scan.md lists every .wif.yaml key.',
  });
}

function stringList(file: string, value: unknown, key: string): readonly string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw configError(file, `${key} must be a list of strings`);
  }
  return value as readonly string[];
}

const TOP_LEVEL_KEYS = new Set([
  'rules',
  'trustDomains',
  'platformNamespaces',
  'clusters',
  'issuers',
  'ignore',
]);

/** Parses `.wif.yaml` text; throws a usage error (exit 2) naming the bad key. */
export function parseConfig(text: string, file = '.wif.yaml'): ScanConfig {
  let raw: unknown;
  try {
    const documents = loadAll(text, { schema: CORE_SCHEMA });
    if (documents.length > 1) throw configError(file, 'must be a single YAML document');
    raw = documents[0];
  } catch (error) {
    if (error instanceof WifError) throw error;
    const reason = error instanceof YAMLException ? error.reason : String(error);
    throw configError(file, `is not valid YAML (${reason})`);
  }
  if (raw === undefined || raw === null) return DEFAULT_CONFIG;
  if (!isObject(raw)) throw configError(file, 'must be a mapping');
  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL_KEYS.has(key)) throw configError(file, `unknown key "${key}"`);
  }
  const rules = raw['rules'] ?? {};
  if (!isObject(rules)) throw configError(file, 'rules must be a mapping');
  const severity: Record<string, Severity> = {};
  const severityMap = rules['severity'] ?? {};
  if (!isObject(severityMap)) throw configError(file, 'rules.severity must be a mapping');
  for (const [ruleId, value] of Object.entries(severityMap)) {
    if (!isSeverity(value)) {
      throw configError(file, `rules.severity.${ruleId} must be one of ${SEVERITIES.join(', ')}`);
    }
    severity[ruleId.toUpperCase()] = value;
  }
  const clusters = raw['clusters'] ?? {};
  if (!isObject(clusters)) throw configError(file, 'clusters must be a mapping');
  const vaultMount = clusters['vaultMount'] ?? DEFAULT_CONFIG.clusters.vaultMount;
  if (typeof vaultMount !== 'string' || !vaultMount.includes('{cluster}')) {
    throw configError(file, 'clusters.vaultMount must be a string containing {cluster}');
  }
  const ignoreList = raw['ignore'] ?? [];
  if (!Array.isArray(ignoreList)) throw configError(file, 'ignore must be a list');
  const ignore = (ignoreList as readonly unknown[]).map((entry, index): ConfigIgnore => {
    const where = `ignore[${index}]`;
    if (!isObject(entry)) throw configError(file, `${where} must be a mapping`);
    const rule = entry['rule'];
    const reason = entry['reason'];
    const until = entry['until'] ?? null;
    if (typeof rule !== 'string' || rule.trim() === '') {
      throw configError(file, `${where}.rule must name a rule id or INV-n`);
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw configError(
        file,
        `${where}.reason is required: every suppression carries a justification`,
      );
    }
    if (until !== null && (typeof until !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(until))) {
      throw configError(file, `${where}.until must be a YYYY-MM-DD date`);
    }
    return {
      rule: rule.trim().toUpperCase(),
      paths: stringList(file, entry['paths'], `${where}.paths`),
      reason: reason.trim(),
      until,
    };
  });
  const enable = rules['enable'];
  return {
    enable:
      enable === undefined
        ? null
        : stringList(file, enable, 'rules.enable').map((id) => id.toUpperCase()),
    disable: stringList(file, rules['disable'], 'rules.disable').map((id) => id.toUpperCase()),
    severity,
    trustDomains: stringList(file, raw['trustDomains'], 'trustDomains'),
    platformNamespaces:
      raw['platformNamespaces'] === undefined
        ? DEFAULT_PLATFORM_NAMESPACES
        : stringList(file, raw['platformNamespaces'], 'platformNamespaces'),
    clusters: { names: stringList(file, clusters['names'], 'clusters.names'), vaultMount },
    issuers:
      raw['issuers'] === undefined
        ? DEFAULT_CONFIG.issuers
        : stringList(file, raw['issuers'], 'issuers'),
    ignore,
  };
}

/**
 * The configuration for a scan run from `cwd`: `explicit` (a path, which must exist), else
 * `.wif.yaml` in `cwd` when present, else the defaults.
 */
export async function readScanConfig(
  cwd: string,
  explicit: string | undefined,
): Promise<ScanConfig> {
  if (explicit !== undefined) {
    const text = await readFile(path.resolve(cwd, explicit), 'utf8').catch(() => {
      throw new WifError('usage', `Configuration ${explicit} cannot be read.`, {
        fix: 'Check the path and its permissions.',
      });
    });
    return parseConfig(text, explicit);
  }
  const text = await readFile(path.join(cwd, '.wif.yaml'), 'utf8').catch(() => undefined);
  return text === undefined ? DEFAULT_CONFIG : parseConfig(text, '.wif.yaml');
}
