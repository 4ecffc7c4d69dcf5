/**
 * K8S-08: a container handed a static credential through its environment: a Vault token, an
 * AWS secret key, an Azure client secret, or a GCP key file. Whether the value is written
 * inline or read from a Secret, it is long-lived and outlives the pod.
 */
import { arrayAt, getAt, isKind, isObject } from '../document.ts';
import type { DocPath, PlainObject } from '../document.ts';
import { containersOf, podTemplate, WORKLOAD_KINDS } from '../k8s.ts';
import type { PodTemplate } from '../k8s.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { mountsOf, volumesOf } from './support/pod-volumes.ts';
import { isPlaceholder } from './support/secret-data.ts';

const CREDENTIAL_VARIABLES: Readonly<Record<string, string>> = {
  VAULT_TOKEN: 'a Vault token',
  AWS_SECRET_ACCESS_KEY: 'an AWS secret access key',
  AZURE_CLIENT_SECRET: 'an Azure client secret',
  GOOGLE_APPLICATION_CREDENTIALS: 'a GCP credential file',
};

/**
 * `GOOGLE_APPLICATION_CREDENTIALS` is a path. Workload identity federation points it at an
 * `external_account` config from a ConfigMap or a projected volume, which holds no secret; a
 * file from a Secret volume is a service-account key.
 */
function googleCredentialsFromSecret(template: PodTemplate, file: string): boolean {
  for (const volume of volumesOf(template)) {
    const secret = isObject(volume.volume['secret']);
    const projected = getAt(volume.volume, ['projected', 'sources']);
    if (!secret && !Array.isArray(projected)) continue;
    for (const mount of mountsOf(template, volume.name)) {
      if (mount.mountPath === '' || !file.startsWith(mount.mountPath)) continue;
      if (secret) return true;
      const relative = file.slice(mount.mountPath.length).replace(/^\/+/, '');
      if (projectedFileFromSecret(projected as readonly unknown[], relative)) return true;
    }
  }
  return false;
}

/** The files a projected source names, or undefined when it projects every key it holds. */
function projectedNames(kind: string, source: PlainObject): readonly string[] | undefined {
  if (kind === 'serviceAccountToken' || kind === 'clusterTrustBundle') {
    return typeof source['path'] === 'string' ? [source['path']] : [];
  }
  const items = source['items'];
  if (!Array.isArray(items)) return kind === 'downwardAPI' ? [] : undefined;
  return (items as readonly unknown[]).flatMap((item) =>
    isObject(item) && typeof item['path'] === 'string' ? [item['path']] : [],
  );
}

/**
 * Whether `relative` in a projected volume comes from a Secret source: named by one, or else
 * possibly from a Secret that projects all its keys while no ConfigMap does the same (then it
 * could be either, and the external_account config a ConfigMap carries is the usual answer).
 */
function projectedFileFromSecret(sources: readonly unknown[], relative: string): boolean {
  let unnamedSecret = false;
  let unnamedConfigMap = false;
  for (const entry of sources) {
    if (!isObject(entry)) continue;
    for (const [kind, source] of Object.entries(entry)) {
      if (!isObject(source)) continue;
      const names = projectedNames(kind, source);
      if (names === undefined) {
        if (kind === 'secret') unnamedSecret = true;
        if (kind === 'configMap') unnamedConfigMap = true;
      } else if (names.includes(relative)) {
        return kind === 'secret';
      }
    }
  }
  return unnamedSecret && !unnamedConfigMap;
}

export const rule = defineRule({
  meta: {
    id: 'K8S-08',
    title: 'Static credential in container environment',
    invariants: ['INV-2', 'INV-4'],
    severity: 'high',
    appliesTo: ['k8s'],
    k8sKinds: WORKLOAD_KINDS,
    message: 'A container receives a static credential through an environment variable.',
    fix: 'Remove the variable and let the workload log in with its projected service-account token (Vault Kubernetes auth, IRSA, GKE or Azure workload identity).',
    docsAnchor: 'k8s-08',
  },
  check(document) {
    if (!isKind(document, 'k8s')) return [];
    const template = podTemplate(document);
    if (template === undefined) return [];
    const findings: RuleFinding[] = [];
    for (const container of containersOf(template)) {
      const env = arrayAt(container.container, ['env']);
      // An indexed loop: every variable of every workload comes through here.
      for (let index = 0; index < env.length; index += 1) {
        const variable = env[index];
        if (!isObject(variable) || typeof variable['name'] !== 'string') continue;
        const name = variable['name'];
        // Own keys only: an env var named `constructor` is not a credential.
        const what = Object.hasOwn(CREDENTIAL_VARIABLES, name)
          ? CREDENTIAL_VARIABLES[name]
          : undefined;
        if (what === undefined) continue;
        const entryPath: DocPath = [...container.path, 'env', index];
        const value = variable['value'];
        const secretRef = getAt(variable, ['valueFrom', 'secretKeyRef']);
        let from: string;
        let path: DocPath;
        if (typeof value === 'string' && !isPlaceholder(value)) {
          if (
            variable['name'] === 'GOOGLE_APPLICATION_CREDENTIALS' &&
            !googleCredentialsFromSecret(template, value)
          ) {
            continue;
          }
          from =
            variable['name'] === 'GOOGLE_APPLICATION_CREDENTIALS'
              ? 'a key file from a Secret volume'
              : 'a literal value';
          path = [...entryPath, 'value'];
        } else if (isObject(secretRef)) {
          const secretName = typeof secretRef['name'] === 'string' ? secretRef['name'] : '?';
          from = `Secret \`${secretName}\``;
          path = [...entryPath, 'valueFrom', 'secretKeyRef'];
        } else {
          continue;
        }
        findings.push({
          path,
          message: `Container \`${container.name}\` gets ${what} in \`${variable['name']}\` from ${from}.`,
        });
      }
    }
    return findings;
  },
});
