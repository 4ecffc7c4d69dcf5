/**
 * The rule registry: every rule module, in catalogue order. Add a rule by writing
 * `src/core/scan/rules/<id>-<slug>.ts` exporting `rule`, then appending one import and one
 * entry here; `scripts/gen-rule-docs.ts` regenerates docs/rules.md from the same list.
 */
import type { Rule } from '../rule.ts';
import { rule as k8s01 } from './k8s-01-legacy-sa-token-secret.ts';
import { rule as k8s02 } from './k8s-02-sa-token-secret-reference.ts';
import { rule as k8s03 } from './k8s-03-default-service-account.ts';
import { rule as k8s04 } from './k8s-04-token-automount.ts';
import { rule as k8s05 } from './k8s-05-projected-token-audience.ts';
import { rule as k8s06 } from './k8s-06-projected-token-lifetime.ts';
import { rule as k8s07 } from './k8s-07-static-credential-material.ts';
import { rule as k8s08 } from './k8s-08-static-credential-env.ts';
import { rule as k8s09 } from './k8s-09-break-glass-secret.ts';
import { rule as k8s10 } from './k8s-10-host-path-volume.ts';
import { rule as k8s11 } from './k8s-11-spire-socket-writable.ts';
import { rule as k8s12 } from './k8s-12-host-namespaces.ts';
import { rule as k8s13 } from './k8s-13-vault-agent-auth-method.ts';
import { rule as k8s14 } from './k8s-14-vault-k8s-mount-name.ts';
import { rule as k8s15 } from './k8s-15-vault-secrets-on-disk.ts';
import { rule as k8s16 } from './k8s-16-shared-service-account.ts';
import { rule as k8s17 } from './k8s-17-cloud-identity-binding.ts';
import { rule as k8s18 } from './k8s-18-namespace-not-meshed.ts';
import { rule as k8s19 } from './k8s-19-mesh-injection-disabled.ts';
import { rule as k8s20 } from './k8s-20-mesh-port-bypass.ts';
import { rule as k8s21 } from './k8s-21-spiffe-id-mismatch.ts';
import { rule as k8s22 } from './k8s-22-spiffe-id-path-shape.ts';
import { rule as k8s23 } from './k8s-23-unmanaged-secret.ts';
import { rule as rbac01 } from './rbac-01-escalation-verbs.ts';
import { rule as rbac02 } from './rbac-02-rbac-write.ts';
import { rule as rbac03 } from './rbac-03-cluster-admin.ts';
import { rule as rbac04 } from './rbac-04-unjustified-cluster-role-binding.ts';
import { rule as rbac05 } from './rbac-05-cluster-secret-read.ts';
import { rule as rbac06 } from './rbac-06-default-sa-binding.ts';
import { rule as rbac07 } from './rbac-07-tenant-cluster-binding.ts';
import { rule as rbac08 } from './rbac-08-kargo-auto-promote-production.ts';
import { rule as rbac09 } from './rbac-09-broad-group-binding.ts';
import { rule as rbac10 } from './rbac-10-token-minting.ts';
import { rule as spi01 } from './spi-01-spiffe-id-scheme.ts';
import { rule as spi02 } from './spi-02-selectors-too-broad.ts';
import { rule as spi03 } from './spi-03-svid-ttl.ts';
import { rule as spi04 } from './spi-04-parent-not-psat-agent.ts';
import { rule as spi05 } from './spi-05-trust-domain-allowlist.ts';
import { rule as spi06 } from './spi-06-admin-downstream.ts';
import { rule as spi07 } from './spi-07-federation-not-configured.ts';
import { rule as spi08 } from './spi-08-cluster-spiffeid-template.ts';
import { rule as spi09 } from './spi-09-cluster-spiffeid-unscoped.ts';
import { rule as spi10 } from './spi-10-server-svid-ttl.ts';
import { rule as spi11 } from './spi-11-bundle-endpoint-not-https.ts';
import { rule as spi12 } from './spi-12-https-spiffe-endpoint-id.ts';
import { rule as spi13 } from './spi-13-https-web-internal-peer.ts';
import { rule as spi14 } from './spi-14-bundle-endpoint-port.ts';
import { rule as spi15 } from './spi-15-static-secret-in-config.ts';
import { rule as spi16 } from './spi-16-trust-verification-disabled.ts';
import { rule as vlt01 } from './vlt-01-broad-policy-path.ts';
import { rule as vlt02 } from './vlt-02-privileged-policy-path.ts';
import { rule as vlt03 } from './vlt-03-policy-namespace-mismatch.ts';
import { rule as vlt04 } from './vlt-04-template-alias-key.ts';
import { rule as vlt05 } from './vlt-05-kubernetes-role-wildcard.ts';
import { rule as vlt06 } from './vlt-06-kubernetes-role-ttl.ts';
import { rule as vlt07 } from './vlt-07-kubernetes-mount-name.ts';
import { rule as vlt08 } from './vlt-08-kubernetes-role-audience.ts';
import { rule as vlt09 } from './vlt-09-jwt-role-claims.ts';
import { rule as vlt10 } from './vlt-10-jwt-glob-org-wide.ts';
import { rule as vlt11 } from './vlt-11-jwt-role-audience.ts';
import { rule as vlt12 } from './vlt-12-jwt-role-ttl.ts';
import { rule as vlt13 } from './vlt-13-jwt-mount-issuer.ts';
import { rule as vlt14 } from './vlt-14-approle-limits.ts';
import { rule as vlt15 } from './vlt-15-approle-in-pipeline.ts';
import { rule as vlt16 } from './vlt-16-agent-jwt-role.ts';
import { rule as vlt17 } from './vlt-17-teleport-jwt-role.ts';
import { rule as vlt18 } from './vlt-18-long-lived-vault-token.ts';
import { rule as eso01 } from './eso-01-refresh-interval.ts';
import { rule as eso02 } from './eso-02-vault-store-static-auth.ts';
import { rule as eso03 } from './eso-03-argocd-repo-secret-literal.ts';
import { rule as eso04 } from './eso-04-argocd-cluster-bearer-token.ts';
import { rule as eso05 } from './eso-05-argocd-https-token.ts';
import { rule as eso06 } from './eso-06-shared-vault-path.ts';
import { rule as eso07 } from './eso-07-flux-secret-in-git.ts';
import { rule as eso08 } from './eso-08-cloud-store-static-key.ts';
import { rule as lnk01 } from './lnk-01-unauthenticated-clients.ts';
import { rule as lnk02 } from './lnk-02-mesh-identity-wildcard.ts';
import { rule as lnk03 } from './lnk-03-federated-identity-wildcard.ts';
import { rule as lnk04 } from './lnk-04-federated-authorization-label.ts';
import { rule as lnk05 } from './lnk-05-cross-namespace-client.ts';
import { rule as lnk06 } from './lnk-06-missing-default-deny.ts';
import { rule as lnk07 } from './lnk-07-route-matches-secret-header.ts';
import { rule as lnk08 } from './lnk-08-trust-anchor-key.ts';
import { rule as lnk09 } from './lnk-09-network-only-authentication.ts';
import { rule as lnk10 } from './lnk-10-unauthenticated-default-policy.ts';
import { rule as gha01 } from './ci-static-cloud-keys.ts';
import { rule as gha02 } from './gha-02-gcp-service-account-key.ts';
import { rule as gha03 } from './gha-03-azure-client-secret.ts';
import { rule as gha04 } from './gha-04-vault-static-login.ts';
import { rule as gha05 } from './gha-05-oidc-without-id-token.ts';
import { rule as gha06 } from './gha-06-broad-token-permissions.ts';
import { rule as gha07 } from './gha-07-prod-role-without-environment.ts';
import { rule as gha08 } from './gha-08-credentials-on-untrusted-trigger.ts';
import { rule as gha09 } from './gha-09-vault-action-mount.ts';
import { rule as gha10 } from './gha-10-unpinned-action-with-credentials.ts';
import { rule as gha11 } from './gha-11-self-hosted-without-attestation.ts';
import { rule as gl01 } from './gl-01-legacy-job-jwt.ts';
import { rule as gl02 } from './gl-02-id-token-audience.ts';
import { rule as gl03 } from './gl-03-static-cloud-credentials.ts';
import { rule as gl04 } from './gl-04-vault-login-mount.ts';
import { rule as gl05 } from './gl-05-prod-job-ungated.ts';
import { rule as tkn01 } from './tkn-01-run-without-service-account.ts';
import { rule as tkn02 } from './tkn-02-task-vault-token.ts';
import { rule as tkn04 } from './tkn-04-static-credentials.ts';
import { rule as ci01 } from './ci-01-gcloud-key-file.ts';
import { rule as cld01 } from './cld-01-trust-without-sub.ts';
import { rule as cld02 } from './cld-02-trust-without-aud.ts';
import { rule as cld03 } from './cld-03-wildcard-sub-owner.ts';
import { rule as cld04 } from './cld-04-prod-sub-unpinned.ts';
import { rule as cld05 } from './cld-05-condition-operator-mismatch.ts';
import { rule as cld06 } from './cld-06-oidc-provider-config.ts';
import { rule as cld07 } from './cld-07-kubernetes-sub-not-exact.ts';
import { rule as cld08 } from './cld-08-long-lived-cloud-keys.ts';
import { rule as cld09 } from './cld-09-gcp-wif-too-broad.ts';
import { rule as cld10 } from './cld-10-azure-federated-credential.ts';
import { rule as cld11 } from './cld-11-teleport-provision-token.ts';
import { rule as cld12 } from './cld-12-tbot-token-join.ts';
import { rule as aud01 } from './aud-01-vault-without-audit-device.ts';
import { rule as aud02 } from './aud-02-linkerd-trace-collector.ts';

export const RULES: readonly Rule[] = [
  k8s01,
  k8s02,
  k8s03,
  k8s04,
  k8s05,
  k8s06,
  k8s07,
  k8s08,
  k8s09,
  k8s10,
  k8s11,
  k8s12,
  k8s13,
  k8s14,
  k8s15,
  k8s16,
  k8s17,
  k8s18,
  k8s19,
  k8s20,
  k8s21,
  k8s22,
  k8s23,
  rbac01,
  rbac02,
  rbac03,
  rbac04,
  rbac05,
  rbac06,
  rbac07,
  rbac08,
  rbac09,
  rbac10,
  spi01,
  spi02,
  spi03,
  spi04,
  spi05,
  spi06,
  spi07,
  spi08,
  spi09,
  spi10,
  spi11,
  spi12,
  spi13,
  spi14,
  spi15,
  spi16,
  vlt01,
  vlt02,
  vlt03,
  vlt04,
  vlt05,
  vlt06,
  vlt07,
  vlt08,
  vlt09,
  vlt10,
  vlt11,
  vlt12,
  vlt13,
  vlt14,
  vlt15,
  vlt16,
  vlt17,
  vlt18,
  eso01,
  eso02,
  eso03,
  eso04,
  eso05,
  eso06,
  eso07,
  eso08,
  lnk01,
  lnk02,
  lnk03,
  lnk04,
  lnk05,
  lnk06,
  lnk07,
  lnk08,
  lnk09,
  lnk10,
  gha01,
  gha02,
  gha03,
  gha04,
  gha05,
  gha06,
  gha07,
  gha08,
  gha09,
  gha10,
  gha11,
  gl01,
  gl02,
  gl03,
  gl04,
  gl05,
  tkn01,
  tkn02,
  tkn04,
  ci01,
  cld01,
  cld02,
  cld03,
  cld04,
  cld05,
  cld06,
  cld07,
  cld08,
  cld09,
  cld10,
  cld11,
  cld12,
  aud01,
  aud02,
];
