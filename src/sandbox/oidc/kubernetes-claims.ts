import type { Claims } from '../../core/token/claims.ts';
import { readSpec, usage, type FieldKind } from './spec.ts';

/**
 * A projected ServiceAccount token as the Kubernetes TokenRequest API issues it (what Tekton
 * tasks present): `sub` `system:serviceaccount:<ns>:<sa>`, an `aud` list, and the
 * `kubernetes.io` claim binding the token to its service account (and pod, when bound).
 */
export interface KubernetesServiceAccount {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly serviceAccountUid: string;
  readonly podName: string | undefined;
  readonly podUid: string | undefined;
}

export type KubernetesServiceAccountSpec = {
  readonly [K in keyof KubernetesServiceAccount]?: KubernetesServiceAccount[K];
};

/** Not `default`: a named service account per workload is the rule this suite enforces. */
export const defaultKubernetesServiceAccount: KubernetesServiceAccount = {
  namespace: 'ci',
  serviceAccount: 'pipeline-runner',
  serviceAccountUid: '4d3f1e6a-8b2c-4c7d-9e0f-1a2b3c4d5e6f',
  podName: undefined,
  podUid: undefined,
};

/** TokenRequest refuses `expirationSeconds` below ten minutes; 3600 is what kubelet asks for. */
export const minExpirationSeconds = 600;
export const defaultExpirationSeconds = 3600;

const fields: Readonly<Record<keyof KubernetesServiceAccount, FieldKind>> = {
  namespace: 'string',
  serviceAccount: 'string',
  serviceAccountUid: 'string',
  podName: 'string',
  podUid: 'string',
};

const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export function readKubernetesSpec(value: unknown, where: string): KubernetesServiceAccountSpec {
  const spec = readSpec(value, where, fields) as KubernetesServiceAccountSpec;
  kubernetesServiceAccount(spec, where);
  return spec;
}

export function kubernetesServiceAccount(
  spec: KubernetesServiceAccountSpec = {},
  where = 'Kubernetes service account',
): KubernetesServiceAccount {
  const sa: KubernetesServiceAccount = { ...defaultKubernetesServiceAccount };
  for (const [key, value] of Object.entries(spec)) {
    if (value !== undefined) Object.assign(sa, { [key]: value });
  }
  if (!dnsLabel.test(sa.namespace)) {
    throw usage(`${where}: namespace "${sa.namespace}" is not a DNS label.`);
  }
  if (!dnsSubdomain.test(sa.serviceAccount)) {
    throw usage(`${where}: serviceAccount "${sa.serviceAccount}" is not a DNS subdomain name.`);
  }
  if ((sa.podName === undefined) !== (sa.podUid === undefined)) {
    throw usage(`${where}: podName and podUid go together (a bound token names both).`);
  }
  return sa;
}

export interface KubernetesTokenTimes {
  readonly issuer: string;
  /** Defaults to the issuer, as the API server's `--api-audiences` does. */
  readonly audiences: readonly string[];
  readonly iat: number;
  readonly expirationSeconds: number;
  readonly jti: string;
}

export function kubernetesClaims(sa: KubernetesServiceAccount, t: KubernetesTokenTimes): Claims {
  if (!Number.isInteger(t.expirationSeconds) || t.expirationSeconds < minExpirationSeconds) {
    throw usage(
      `expirationSeconds ${t.expirationSeconds} is below Kubernetes' minimum of ${minExpirationSeconds} seconds.`,
    );
  }
  const binding: Record<string, unknown> = {
    namespace: sa.namespace,
    serviceaccount: { name: sa.serviceAccount, uid: sa.serviceAccountUid },
  };
  if (sa.podName !== undefined && sa.podUid !== undefined) {
    binding.pod = { name: sa.podName, uid: sa.podUid };
  }
  return {
    aud: [...(t.audiences.length === 0 ? [t.issuer] : t.audiences)],
    exp: t.iat + t.expirationSeconds,
    iat: t.iat,
    iss: t.issuer,
    jti: t.jti,
    'kubernetes.io': binding,
    nbf: t.iat,
    sub: `system:serviceaccount:${sa.namespace}:${sa.serviceAccount}`,
  };
}
