import { describe, expect, it } from 'vitest';
import { rule as k8s16 } from '../../../../src/core/scan/rules/k8s-16-shared-service-account.ts';
import { rule as k8s17 } from '../../../../src/core/scan/rules/k8s-17-cloud-identity-binding.ts';
import { at, runRule } from './support/run-rule.ts';
import {
  COMPUTED_DYNAMIC_CONDITION,
  webIdentityPolicyDocument,
} from './support/terraform-trust.ts';

const deployment = (name: string, account: string, namespace = 'shop'): string => `
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: ${name}, namespace: ${namespace} }
  spec:
    template:
      spec:
        serviceAccountName: ${account}
        containers: [{ name: ${name}, image: "ghcr.io/example/${name}:1" }]
`;

describe('K8S-16 ServiceAccount shared by several workloads', () => {
  it('flags each Deployment sharing an account, at serviceAccountName, naming the other', async () => {
    const findings = await runRule(k8s16, {
      'cart.yaml': deployment('cart', 'backend'),
      'checkout.yaml': deployment('checkout', 'backend'),
    });
    expect(
      findings.map((finding) => [finding.rule, finding.severity, finding.file, at(finding)]),
    ).toEqual([
      ['K8S-16', 'low', 'cart.yaml', '7:7'],
      ['K8S-16', 'low', 'checkout.yaml', '7:7'],
    ]);
    expect(findings[0]?.message).toContain('Deployment/checkout');
  });

  it('accepts the same account name in different namespaces', async () => {
    const findings = await runRule(k8s16, {
      'a.yaml': deployment('api', 'api', 'payments'),
      'b.yaml': deployment('api', 'api', 'orders'),
    });
    expect(findings).toEqual([]);
  });
});

const SOURCE_CONTROLLER = `
  apiVersion: v1
  kind: ServiceAccount
  metadata:
    name: source-controller
    namespace: flux-system
    annotations:
      eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/flux-source
`;

const trustPolicy = (condition: string): string => `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
      },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": ${condition}
    }
  ]
}`;

const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

describe('K8S-17 cloud role bound to its ServiceAccount', () => {
  it('flags an IRSA role whose trust policy pins another ServiceAccount, at the annotation', async () => {
    const findings = await runRule(k8s17, {
      'sa.yaml': SOURCE_CONTROLLER,
      'iam/flux-source-trust.json': trustPolicy(
        `{ "StringEquals": { "${ISSUER}:sub": "system:serviceaccount:flux-system:kustomize-controller", "${ISSUER}:aud": "sts.amazonaws.com" } }`,
      ),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'K8S-17', severity: 'high', file: 'sa.yaml' });
    expect(at(findings[0])).toBe('7:5');
    expect(findings[0]?.message).toContain('kustomize-controller');
  });

  it('flags a trust policy that matches sub with a namespace-wide pattern', async () => {
    const findings = await runRule(k8s17, {
      'sa.yaml': SOURCE_CONTROLLER,
      'iam/flux-source-trust.json': trustPolicy(
        `{ "StringLike": { "${ISSUER}:sub": "system:serviceaccount:flux-system:*" } }`,
      ),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain('wider than');
  });

  it('flags a trust policy that tests only the audience', async () => {
    const findings = await runRule(k8s17, {
      'sa.yaml': SOURCE_CONTROLLER,
      'iam/flux-source-trust.json': trustPolicy(
        `{ "StringEquals": { "${ISSUER}:aud": "sts.amazonaws.com" } }`,
      ),
    });
    expect(findings[0]?.message).toContain('without a `sub` condition');
  });

  it('flags a role that trusts this ServiceAccount and others besides', async () => {
    const findings = await runRule(k8s17, {
      'sa.yaml': SOURCE_CONTROLLER,
      'iam/flux-source-trust.json': trustPolicy(
        `{ "StringEquals": { "${ISSUER}:sub": ["system:serviceaccount:flux-system:source-controller", "system:serviceaccount:flux-system:image-reflector-controller"] } }`,
      ),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(
      'also trusts `system:serviceaccount:flux-system:image-reflector-controller`',
    );
  });

  it('accepts a trust policy pinned to system:serviceaccount:<ns>:<sa>', async () => {
    const findings = await runRule(k8s17, {
      'sa.yaml': SOURCE_CONTROLLER,
      'iam/flux-source-trust.json': trustPolicy(
        `{ "StringEquals": { "${ISSUER}:sub": "system:serviceaccount:flux-system:source-controller" } }`,
      ),
    });
    expect(findings).toEqual([]);
  });

  const terraformTrust = (conditions: string): string => `
    resource "aws_iam_role" "flux_source" {
      name               = "flux-source"
      assume_role_policy = data.aws_iam_policy_document.flux_source.json
    }
    ${webIdentityPolicyDocument('flux_source', ISSUER, conditions)}`;

  it('reads the sub a literal dynamic "condition" generates in the role\'s Terraform policy document', async () => {
    const pinned = (account: string): string =>
      terraformTrust(`
        dynamic "condition" {
          for_each = {
            sub = "system:serviceaccount:flux-system:${account}"
            aud = "sts.amazonaws.com"
          }
          content {
            test     = "StringEquals"
            variable = "${ISSUER}:\${condition.key}"
            values   = [condition.value]
          }
        }`);
    expect(
      await runRule(k8s17, {
        'sa.yaml': SOURCE_CONTROLLER,
        'iam/flux.tf': pinned('source-controller'),
      }),
    ).toEqual([]);
    const other = await runRule(k8s17, {
      'sa.yaml': SOURCE_CONTROLLER,
      'iam/flux.tf': pinned('kustomize-controller'),
    });
    expect(other.map((f) => [f.severity, at(f)])).toEqual([['high', '7:5']]);
    expect(other[0]?.message).toContain('kustomize-controller');
  });

  it('reports a computed dynamic "condition" as unverifiable, at low, not as trusting every account', async () => {
    const found = await runRule(k8s17, {
      'sa.yaml': SOURCE_CONTROLLER,
      'iam/flux.tf': terraformTrust(COMPUTED_DYNAMIC_CONDITION),
    });
    expect(found.map((f) => [f.severity, f.file, at(f)])).toEqual([['low', 'sa.yaml', '7:5']]);
    expect(found[0]?.message).toContain('cannot verify statically');
    expect(found[0]?.message).toContain('system:serviceaccount:flux-system:source-controller');
  });

  it('says nothing when the role is not part of the scan', async () => {
    expect(await runRule(k8s17, { 'sa.yaml': SOURCE_CONTROLLER })).toEqual([]);
  });

  it('reads condition keys case-insensitively, as AWS compares them', async () => {
    const findings = await runRule(k8s17, {
      'sa.yaml': SOURCE_CONTROLLER,
      'iam/flux-source-trust.json': trustPolicy(
        `{ "StringEquals": { "${ISSUER}:SUB": "system:serviceaccount:flux-system:kustomize-controller" } }`,
      ),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain('kustomize-controller');
  });

  it('reads `aws iam get-role` output whose trust document is URL-encoded text', async () => {
    const document = trustPolicy(
      `{ "StringLike": { "${ISSUER}:sub": "system:serviceaccount:*" } }`,
    );
    const findings = await runRule(k8s17, {
      'sa.yaml': SOURCE_CONTROLLER,
      'iam/get-role.json': JSON.stringify({
        Role: {
          RoleName: 'flux-source',
          Arn: 'arn:aws:iam::111122223333:role/flux-source',
          AssumeRolePolicyDocument: encodeURIComponent(document),
        },
      }),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain('wider than');
  });

  describe('GKE workload identity', () => {
    const gkeAccount = `
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: source-controller
        namespace: flux-system
        annotations:
          iam.gke.io/gcp-service-account: flux-source@acme-platform.iam.gserviceaccount.com
    `;
    const terraform = (member: string): string => `
      resource "google_service_account" "flux_source" {
        account_id   = "flux-source"
        display_name = "Flux source-controller"
      }

      resource "google_service_account_iam_member" "flux_source_wi" {
        service_account_id = google_service_account.flux_source.name
        role               = "roles/iam.workloadIdentityUser"
        member             = "${member}"
      }
    `;

    it('flags a workloadIdentityUser grant to another Kubernetes ServiceAccount', async () => {
      const findings = await runRule(k8s17, {
        'sa.yaml': gkeAccount,
        'infra/flux.tf': terraform(
          'serviceAccount:acme-platform.svc.id.goog[flux-system/helm-controller]',
        ),
      });
      expect(findings).toHaveLength(1);
      expect(at(findings[0])).toBe('7:5');
      expect(findings[0]?.message).toContain('helm-controller');
    });

    it('accepts the grant to <pool>[<ns>/<sa>]', async () => {
      const findings = await runRule(k8s17, {
        'sa.yaml': gkeAccount,
        'infra/flux.tf': terraform(
          'serviceAccount:acme-platform.svc.id.goog[flux-system/source-controller]',
        ),
      });
      expect(findings).toEqual([]);
    });
  });
});
