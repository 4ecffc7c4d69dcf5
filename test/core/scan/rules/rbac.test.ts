import { describe, expect, it } from 'vitest';
import { rule as rbac01 } from '../../../../src/core/scan/rules/rbac-01-escalation-verbs.ts';
import { rule as rbac02 } from '../../../../src/core/scan/rules/rbac-02-rbac-write.ts';
import { rule as rbac03 } from '../../../../src/core/scan/rules/rbac-03-cluster-admin.ts';
import { rule as rbac04 } from '../../../../src/core/scan/rules/rbac-04-unjustified-cluster-role-binding.ts';
import { rule as rbac05 } from '../../../../src/core/scan/rules/rbac-05-cluster-secret-read.ts';
import { rule as rbac06 } from '../../../../src/core/scan/rules/rbac-06-default-sa-binding.ts';
import { rule as rbac07 } from '../../../../src/core/scan/rules/rbac-07-tenant-cluster-binding.ts';
import { rule as rbac08 } from '../../../../src/core/scan/rules/rbac-08-kargo-auto-promote-production.ts';
import { rule as rbac09 } from '../../../../src/core/scan/rules/rbac-09-broad-group-binding.ts';
import { rule as rbac10 } from '../../../../src/core/scan/rules/rbac-10-token-minting.ts';
import { at, runRule } from './support/run-rule.ts';

/** The RFC §8.1 operator ClusterRole: CRD CRUD, reads, apps CRUD, leases. */
const OPERATOR_ROLE = `
  apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRole
  metadata: { name: my-operator }
  rules:
    - apiGroups: [example.com]
      resources: [widgets, widgets/status]
      verbs: [get, list, watch, create, update, patch, delete]
    - apiGroups: [""]
      resources: [pods, services, configmaps]
      verbs: [get, list, watch]
    - apiGroups: [apps]
      resources: [deployments, statefulsets]
      verbs: [get, list, watch, create, update, patch, delete]
    - apiGroups: [coordination.k8s.io]
      resources: [leases]
      verbs: [get, create, update]
`;

const binding = (kind: string, role: string, subjects: string, extraMetadata = ''): string => `
  apiVersion: rbac.authorization.k8s.io/v1
  kind: ${kind}
  metadata:
    name: ${role}-binding${kind === 'RoleBinding' ? '\n    namespace: team-a' : ''}${extraMetadata}
  roleRef:
    apiGroup: rbac.authorization.k8s.io
    kind: ClusterRole
    name: ${role}
  subjects:
${subjects}
`;

const sa = (name: string, namespace: string): string =>
  `    - kind: ServiceAccount\n      name: ${name}\n      namespace: ${namespace}`;

describe('RBAC-01 escalate, bind or impersonate', () => {
  it('flags each escalating verb at its position in verbs', async () => {
    const findings = await runRule(rbac01, {
      'role.yaml': `
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: { name: release-manager }
        rules:
          - apiGroups: [rbac.authorization.k8s.io]
            resources: [clusterroles]
            verbs: [get, bind, escalate]
          - apiGroups: [""]
            resources: [serviceaccounts]
            verbs: [impersonate]
      `,
    });
    expect(findings.map((finding) => [finding.rule, finding.severity, at(finding)])).toEqual([
      ['RBAC-01', 'high', '7:18'],
      ['RBAC-01', 'high', '7:24'],
      ['RBAC-01', 'high', '10:13'],
    ]);
  });

  it('flags verb * on roles, which includes escalate and bind', async () => {
    const findings = await runRule(rbac01, {
      'role.yaml': `
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: { name: rbac-admin, namespace: team-a }
        rules:
          - apiGroups: [rbac.authorization.k8s.io]
            resources: [roles, rolebindings]
            verbs: ["*"]
      `,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain('`escalate` and `bind`');
  });

  it('accepts the RFC operator role', async () => {
    expect(await runRule(rbac01, { 'role.yaml': OPERATOR_ROLE })).toEqual([]);
  });
});

describe('RBAC-02 non-platform role writing RBAC', () => {
  const writer = `
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata: { name: namespace-onboarder }
    rules:
      - apiGroups: [rbac.authorization.k8s.io]
        resources: [rolebindings]
        verbs: [create, patch]
  `;

  it('flags a role that may create bindings when an application SA holds it', async () => {
    const findings = await runRule(rbac02, {
      'role.yaml': writer,
      'binding.yaml': binding(
        'ClusterRoleBinding',
        'namespace-onboarder',
        sa('onboarder', 'self-service'),
      ),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'RBAC-02', severity: 'high', file: 'role.yaml' });
    expect(at(findings[0])).toBe('7:5');
    expect(findings[0]?.message).toContain('self-service/onboarder');
  });

  it('accepts the role when only platform ServiceAccounts hold it', async () => {
    const findings = await runRule(rbac02, {
      'role.yaml': writer,
      'binding.yaml': binding(
        'ClusterRoleBinding',
        'namespace-onboarder',
        sa('argocd-application-controller', 'argocd'),
      ),
    });
    expect(findings).toEqual([]);
  });
});

describe('RBAC-03 cluster-admin granted', () => {
  const wildcard = (name: string, extraMetadata = ''): string => `
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata:
      name: ${name}${extraMetadata}
    rules:
      - apiGroups: ["*"]
        resources: ["*"]
        verbs: ["*"]
  `;

  it('flags a */*/* ClusterRole at its rule', async () => {
    const findings = await runRule(rbac03, { 'role.yaml': wildcard('deployer') });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'RBAC-03', severity: 'high' });
    expect(at(findings[0])).toBe('6:5');
  });

  it('raises a cluster-admin binding of an application SA to critical, at roleRef.name', async () => {
    const findings = await runRule(rbac03, {
      'binding.yaml': binding('ClusterRoleBinding', 'cluster-admin', sa('api', 'payments')),
    });
    expect(findings.map((finding) => [finding.severity, at(finding)])).toEqual([
      ['critical', '8:3'],
    ]);
  });

  it('keeps a cluster-admin binding of a platform SA at high', async () => {
    const findings = await runRule(rbac03, {
      'binding.yaml': binding('ClusterRoleBinding', 'cluster-admin', sa('vault-operator', 'vault')),
    });
    expect(findings.map((finding) => finding.severity)).toEqual(['high']);
  });

  it('allows the Argo CD application controller only with a justification', async () => {
    const justification =
      '\n      annotations:\n        workload-identity.platform/justification: "Argo CD deploys CRDs and namespaces cluster-wide (RFC 7.2.3)"';
    expect(
      await runRule(rbac03, {
        'role.yaml': wildcard('argocd-application-controller', justification),
      }),
    ).toEqual([]);
    expect(
      await runRule(rbac03, { 'role.yaml': wildcard('argocd-application-controller') }),
    ).toHaveLength(1);
  });
});

describe('RBAC-04 ClusterRoleBinding without justification', () => {
  it('flags each ServiceAccount subject of an unjustified ClusterRoleBinding', async () => {
    const findings = await runRule(rbac04, {
      'crb.yaml': binding(
        'ClusterRoleBinding',
        'my-operator',
        sa('my-operator', 'my-operator-system'),
      ),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'RBAC-04', severity: 'medium' });
    expect(at(findings[0])).toBe('10:5');
  });

  it('accepts a justified ClusterRoleBinding', async () => {
    const findings = await runRule(rbac04, {
      'crb.yaml': binding(
        'ClusterRoleBinding',
        'my-operator',
        sa('my-operator', 'my-operator-system'),
        '\n    annotations:\n      workload-identity.platform/justification: watches Widgets in every namespace',
      ),
    });
    expect(findings).toEqual([]);
  });
});

describe('RBAC-05 ClusterRole reading Secrets cluster-wide', () => {
  const reader = `
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata: { name: secret-reader }
    rules:
      - apiGroups: [""]
        resources: [secrets]
        verbs: [get, list, watch]
  `;

  it('flags a Secret-reading ClusterRole bound cluster-wide, at verbs', async () => {
    const findings = await runRule(rbac05, {
      'role.yaml': reader,
      'crb.yaml': binding('ClusterRoleBinding', 'secret-reader', sa('reporter', 'analytics')),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'RBAC-05', severity: 'high' });
    expect(at(findings[0])).toBe('7:5');
  });

  it('accepts the same ClusterRole when it is only bound per namespace', async () => {
    const findings = await runRule(rbac05, {
      'role.yaml': reader,
      'rb.yaml': binding('RoleBinding', 'secret-reader', sa('reporter', 'team-a')),
    });
    expect(findings).toEqual([]);
  });

  it('accepts a rule limited to named Secrets', async () => {
    const findings = await runRule(rbac05, {
      'role.yaml': reader.replace(
        'verbs: [get, list, watch]',
        'verbs: [get, list, watch]\n        resourceNames: [tls-bundle]',
      ),
    });
    expect(findings).toEqual([]);
  });
});

describe('RBAC-06 permissions bound to the default ServiceAccount', () => {
  it('flags a default subject at its name', async () => {
    const findings = await runRule(rbac06, {
      'rb.yaml': binding('RoleBinding', 'view', sa('default', 'team-a')),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'RBAC-06', severity: 'medium' });
    expect(at(findings[0])).toBe('12:5');
  });

  it('accepts dedicated ServiceAccounts', async () => {
    expect(
      await runRule(rbac06, {
        'rb.yaml': binding('RoleBinding', 'view', sa('dashboard', 'team-a')),
      }),
    ).toEqual([]);
  });
});

describe('RBAC-07 tenant ServiceAccount bound cluster-wide', () => {
  const tenantNamespace = `
    apiVersion: v1
    kind: Namespace
    metadata:
      name: tenant-acme
      labels:
        tenant: acme
        managed-by: tenant-operator
  `;

  it('flags a ClusterRoleBinding to an SA of a tenant Namespace', async () => {
    const findings = await runRule(rbac07, {
      'ns.yaml': tenantNamespace,
      'crb.yaml': binding('ClusterRoleBinding', 'view', sa('app', 'tenant-acme')),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'RBAC-07', severity: 'high', file: 'crb.yaml' });
    expect(at(findings[0])).toBe('10:5');
    expect(findings[0]?.message).toContain('tenant `acme`');
  });

  it('accepts a RoleBinding inside the tenant namespace', async () => {
    const findings = await runRule(rbac07, {
      'ns.yaml': tenantNamespace,
      'rb.yaml': binding('RoleBinding', 'view', sa('app', 'tenant-acme')),
    });
    expect(findings).toEqual([]);
  });
});

describe('RBAC-08 production stage promoting automatically', () => {
  const project = (production: string): string => `
    apiVersion: kargo.akuity.io/v1alpha1
    kind: Project
    metadata: { name: storefront }
    spec:
      promotionPolicies:
        - stage: staging
          autoPromotionEnabled: true
        - stage: production
          autoPromotionEnabled: ${production}
  `;

  it('flags autoPromotionEnabled on the production stage', async () => {
    const findings = await runRule(rbac08, { 'project.yaml': project('true') });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'RBAC-08', severity: 'low' });
    expect(at(findings[0])).toBe('9:7');
  });

  it('accepts auto-promotion to staging with a manual production gate', async () => {
    expect(await runRule(rbac08, { 'project.yaml': project('false') })).toEqual([]);
  });
});

describe('RBAC-09 permissions bound to a built-in group', () => {
  it('flags system:serviceaccounts as high and system:unauthenticated as critical', async () => {
    const findings = await runRule(rbac09, {
      'crb.yaml': binding(
        'ClusterRoleBinding',
        'view',
        '    - kind: Group\n      name: system:serviceaccounts\n    - kind: Group\n      name: system:unauthenticated',
      ),
    });
    expect(findings.map((finding) => [finding.rule, finding.severity, at(finding)])).toEqual([
      ['RBAC-09', 'high', '11:5'],
      ['RBAC-09', 'critical', '13:5'],
    ]);
  });

  it('accepts named ServiceAccounts and Kubernetes bootstrap bindings', async () => {
    const findings = await runRule(rbac09, {
      'crb.yaml': binding('ClusterRoleBinding', 'view', sa('dashboard', 'team-a')),
    });
    expect(findings).toEqual([]);
  });
});

describe('RBAC-10 role taking over other identities', () => {
  it('flags create on serviceaccounts/token and pods/exec, once per rule at resources', async () => {
    const findings = await runRule(rbac10, {
      'role.yaml': `
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: { name: debugger }
        rules:
          - apiGroups: [""]
            resources: [pods, pods/exec, serviceaccounts/token]
            verbs: [get, create]
      `,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'RBAC-10', severity: 'high' });
    expect(at(findings[0])).toBe('6:5');
    expect(findings[0]?.message).toContain(
      '`create` on `serviceaccounts/token`, `create` on `pods/exec`',
    );
  });

  it('accepts token creation limited to one named ServiceAccount', async () => {
    const findings = await runRule(rbac10, {
      'role.yaml': `
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: { name: token-requester, namespace: ci }
        rules:
          - apiGroups: [""]
            resources: [serviceaccounts/token]
            resourceNames: [image-pusher]
            verbs: [create]
      `,
    });
    expect(findings).toEqual([]);
  });
});
