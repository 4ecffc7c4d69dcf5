import { describe, expect, it } from 'vitest';
import { getAt } from '../../../src/core/scan/document.ts';
import type { Rule, ScanContext } from '../../../src/core/scan/rule.ts';
import { scanFiles } from './support/scan-files.ts';

/** Captures the context a scan builds, through a rule that runs once. */
async function contextOf(files: Record<string, string>): Promise<ScanContext> {
  let captured: ScanContext | undefined;
  const capture: Rule = {
    meta: {
      id: 'TEST-CTX',
      title: 't',
      invariants: [],
      severity: 'info',
      appliesTo: ['k8s', 'terraform', 'aws-iam-policy', 'unknown'],
      message: 'm',
      fix: 'f',
      docsAnchor: 't',
    },
    check: (_document, context) => {
      captured = context;
      return [];
    },
  };
  await scanFiles(files, { rules: [capture] });
  if (captured === undefined) throw new Error('no document reached the rule');
  return captured;
}

describe('cross-file scan context', () => {
  it('finds Kubernetes objects by kind, namespace and name across files', async () => {
    const context = await contextOf({
      'ns.yaml':
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: payments\n  annotations: {linkerd.io/inject: enabled}\n',
      'sa.yaml':
        'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: api, namespace: payments}\n',
    });
    expect(
      getAt(context.k8sObject('Namespace', null, 'payments')?.value, [
        'metadata',
        'annotations',
        'linkerd.io/inject',
      ]),
    ).toBe('enabled');
    expect(context.k8sObjects('ServiceAccount').map((document) => document.file)).toEqual([
      'sa.yaml',
    ]);
    expect(context.k8sObject('ServiceAccount', 'other', 'api')).toBeUndefined();
    expect(context.isPlatformNamespace('spire')).toBe(true);
    expect(context.isPlatformNamespace('payments')).toBe(false);
  });

  it('links a role ARN to trust policies from Terraform jsonencode, policy documents and IAM JSON', async () => {
    const context = await contextOf({
      'infra/roles.tf': `resource "aws_iam_role" "flux" {
  name = "flux-source"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
      Condition = { StringEquals = { "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub" = "system:serviceaccount:flux-system:source-controller" } }
    }]
  })
}
data "aws_iam_policy_document" "ci" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    condition {
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:acme/api:ref:refs/heads/main"]
    }
  }
}
resource "aws_iam_role" "ci" {
  name = "ci-deploy"
  assume_role_policy = data.aws_iam_policy_document.ci.json
}
`,
      'iam/get-role.json': JSON.stringify({
        Role: {
          RoleName: 'backup',
          Arn: 'arn:aws:iam::123456789012:role/ops/backup',
          AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] },
        },
      }),
    });
    const [flux] = context.trustPoliciesForRole('arn:aws:iam::123456789012:role/flux-source');
    expect(
      getAt(flux?.policy, [
        'Statement',
        0,
        'Condition',
        'StringEquals',
        'oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub',
      ]),
    ).toBe('system:serviceaccount:flux-system:source-controller');
    expect(getAt(flux?.policy, ['Statement', 0, 'Principal', 'Federated'])).toBe(
      '${aws_iam_openid_connect_provider.eks.arn}',
    );
    const [ci] = context.trustPoliciesForRole('ci-deploy');
    expect(
      getAt(ci?.policy, [
        'Statement',
        0,
        'Condition',
        'StringLike',
        'token.actions.githubusercontent.com:sub',
      ]),
    ).toEqual(['repo:acme/api:ref:refs/heads/main']);
    expect(context.trustPoliciesForRole('arn:aws:iam::123456789012:role/ops/backup')).toHaveLength(
      1,
    );
    expect(context.trustPolicies()).toHaveLength(3);
  });

  it('takes an IAM JSON file with a wildcard or lower-case trust action as a trust policy, and an admin policy as none', async () => {
    const statement = (action: string, principal: boolean): string =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: action,
            ...(principal ? { Principal: { Service: 'ec2.amazonaws.com' } } : { Resource: '*' }),
          },
        ],
      });
    const context = await contextOf({
      'iam/lower.json': statement('sts:assumerole', true),
      'iam/wild.json': statement('sts:Assume*', true),
      'iam/star.json': statement('*', true),
      'iam/admin.json': statement('*', false),
    });
    expect(
      context
        .trustPolicies()
        .map((trust) => trust.roleName)
        .sort(),
    ).toEqual(['lower', 'star', 'wild']);
  });
});
