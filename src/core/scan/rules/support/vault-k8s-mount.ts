/**
 * The Vault Kubernetes-auth mount naming rule (INV-4): one mount per cluster, named after the
 * cluster (`auth/kubernetes-<cluster>` by default, `clusters.vaultMount` in `.wif.yaml`).
 */
import type { ScanConfig } from '../../config.ts';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `auth/kubernetes-prod/login`, `/auth/kubernetes-prod/`, `kubernetes-prod` → `kubernetes-prod`. */
export function mountName(path: string): string {
  return path
    .trim()
    .replace(/^\/+|\/+$/g, '')
    .replace(/^v1\//, '')
    .replace(/^auth\//, '')
    .replace(/\/login$/, '');
}

/** True when `path` names a per-cluster Kubernetes-auth mount as the configuration wants. */
export function isClusterMount(path: string, config: ScanConfig): boolean {
  const name = mountName(path);
  const pattern = config.clusters.vaultMount;
  if (config.clusters.names.length > 0) {
    return config.clusters.names.some((cluster) => pattern.replace('{cluster}', cluster) === name);
  }
  const [before, after] = pattern.split('{cluster}');
  if (after === undefined) return name === pattern;
  return new RegExp(
    `^${escapeRegExp(before ?? '')}[a-z0-9](?:[a-z0-9-]*[a-z0-9])?${escapeRegExp(after)}$`,
  ).test(name);
}

/** The expected form, for messages: `kubernetes-<cluster>` or the configured names. */
export function expectedMount(config: ScanConfig): string {
  if (config.clusters.names.length > 0) {
    return config.clusters.names
      .map((cluster) => `auth/${config.clusters.vaultMount.replace('{cluster}', cluster)}`)
      .join(' or ');
  }
  return `auth/${config.clusters.vaultMount.replace('{cluster}', '<cluster>')}`;
}
