import { describe, expect, it } from 'vitest';
import { rule as cld01 } from '../../../../src/core/scan/rules/cld-01-trust-without-sub.ts';
import { rule as cld02 } from '../../../../src/core/scan/rules/cld-02-trust-without-aud.ts';
import { rule as cld03 } from '../../../../src/core/scan/rules/cld-03-wildcard-sub-owner.ts';
import { rule as cld04 } from '../../../../src/core/scan/rules/cld-04-prod-sub-unpinned.ts';
import { rule as cld05 } from '../../../../src/core/scan/rules/cld-05-condition-operator-mismatch.ts';
import { rule as cld06 } from '../../../../src/core/scan/rules/cld-06-oidc-provider-config.ts';
import { rule as cld07 } from '../../../../src/core/scan/rules/cld-07-kubernetes-sub-not-exact.ts';
import { rule as cld08 } from '../../../../src/core/scan/rules/cld-08-long-lived-cloud-keys.ts';
import { rule as cld09 } from '../../../../src/core/scan/rules/cld-09-gcp-wif-too-broad.ts';
import { rule as cld10 } from '../../../../src/core/scan/rules/cld-10-azure-federated-credential.ts';
import { rule as cld11 } from '../../../../src/core/scan/rules/cld-11-teleport-provision-token.ts';
import { rule as cld12 } from '../../../../src/core/scan/rules/cld-12-tbot-token-join.ts';
import type { LocatedFinding } from './support/run-rule.ts';
import { at, runRule } from './support/run-rule.ts';
import {
  COMPUTED_DYNAMIC_CONDITION,
  webIdentityPolicyDocument,
} from './support/terraform-trust.ts';

/** HCL attributes come back sorted by name, so findings are compared in source order. */
function byLine(found: readonly LocatedFinding[]): LocatedFinding[] {
  return [...found].sort((a, b) => a.line - b.line || a.column - b.column);
}

/** A GitHub trust policy pinned to one repository's production environment. */
const PINNED_JSON = `
  {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Effect": "Allow",
        "Principal": {
          "Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
        },
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
          "StringEquals": {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": "repo:payments/api:environment:production"
          }
        }
      }
    ]
  }
`;

/** The same role trusting every repository of the organisation, without an audience. */
const ORG_WIDE_JSON = `
  {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Effect": "Allow",
        "Principal": {
          "Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
        },
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
          "StringLike": {
            "token.actions.githubusercontent.com:sub": "repo:payments/*"
          }
        }
      }
    ]
  }
`;

describe('Cloud trust rules on a pinned trust policy', () => {
  it.each([cld01, cld02, cld03, cld04, cld05, cld07])('$meta.id reports nothing', async (rule) => {
    expect(await runRule(rule, { 'iam/deploy-prod-trust.json': PINNED_JSON })).toEqual([]);
  });
});

describe('CLD-01 trust without a sub condition', () => {
  it('flags a get-role output whose statement has only an aud condition', async () => {
    const found = await runRule(cld01, {
      'iam/get-role.json': `
        {
          "Role": {
            "RoleName": "ci-deploy",
            "Arn": "arn:aws:iam::111122223333:role/ci-deploy",
            "AssumeRolePolicyDocument": {
              "Version": "2012-10-17",
              "Statement": [{
                "Effect": "Allow",
                "Principal": { "Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" },
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": { "StringEquals": { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } }
              }]
            }
          }
        }
      `,
    });
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([['CLD-01', 'critical', '9:24']]);
    expect(found[0]!.message).toContain('ci-deploy');
  });

  it('flags a Terraform jsonencode trust without sub', async () => {
    const found = await runRule(cld01, {
      'infra/iam.tf': `
        resource "aws_iam_role" "deploy" {
          name = "deploy"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Principal = { Federated = aws_iam_openid_connect_provider.github.arn }
              Action    = "sts:AssumeRoleWithWebIdentity"
            }]
          })
        }
      `,
    });
    expect(found.map((f) => [f.rule, f.object, at(f)])).toEqual([['CLD-01', 'deploy', '7:21']]);
  });
});

describe('CLD-02 trust without an aud condition', () => {
  it('flags the org-wide policy, which has no aud', async () => {
    const found = await runRule(cld02, { 'iam/trust.json': ORG_WIDE_JSON });
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([['CLD-02', 'high', '7:9']]);
  });
});

describe('CLD-03 wildcard owner or repository in sub', () => {
  it('rates repo:<org>/* high at the condition key', async () => {
    const found = await runRule(cld03, { 'iam/trust.json': ORG_WIDE_JSON });
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([['CLD-03', 'high', '12:11']]);
  });

  it('rates repo:* critical in a Terraform aws_iam_policy_document', async () => {
    const found = await runRule(cld03, {
      'infra/trust.tf': `
        data "aws_iam_policy_document" "github_trust" {
          statement {
            actions = ["sts:AssumeRoleWithWebIdentity"]
            principals {
              type        = "Federated"
              identifiers = [aws_iam_openid_connect_provider.github.arn]
            }
            condition {
              test     = "StringEquals"
              variable = "token.actions.githubusercontent.com:aud"
              values   = ["sts.amazonaws.com"]
            }
            condition {
              test     = "StringLike"
              variable = "token.actions.githubusercontent.com:sub"
              values   = ["repo:*"]
            }
          }
        }
        resource "aws_iam_role" "ci" {
          name               = "ci"
          assume_role_policy = data.aws_iam_policy_document.github_trust.json
        }
      `,
    });
    expect(found.map((f) => [f.rule, f.severity, f.object, at(f)])).toEqual([
      ['CLD-03', 'critical', 'github_trust', '13:5'],
    ]);
  });

  it('accepts a StringLike that only wildcards the ref of one repository', async () => {
    const found = await runRule(cld03, {
      'iam/trust.json': ORG_WIDE_JSON.replace('repo:payments/*', 'repo:payments/api:*'),
    });
    expect(found).toEqual([]);
  });
});

describe('CLD-04 production role not pinned to a ref or environment', () => {
  it('flags repo:<org>/<repo>:* on a prod role', async () => {
    const found = await runRule(cld04, {
      'iam/deploy-prod-trust.json': ORG_WIDE_JSON.replace('repo:payments/*', 'repo:payments/api:*'),
    });
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([['CLD-04', 'medium', '12:11']]);
  });

  it('accepts the same pattern on a non-production role', async () => {
    const found = await runRule(cld04, {
      'iam/preview-trust.json': ORG_WIDE_JSON.replace('repo:payments/*', 'repo:payments/api:*'),
    });
    expect(found).toEqual([]);
  });
});

describe('CLD-05 operator does not match its value', () => {
  it('flags a wildcard in StringEquals, which never matches', async () => {
    const found = await runRule(cld05, {
      'iam/trust.json': PINNED_JSON.replace(
        'repo:payments/api:environment:production',
        'repo:payments/api:*',
      ),
    });
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([['CLD-05', 'low', '13:11']]);
    expect(found[0]!.message).toContain('literally');
  });
});

describe('CLD-06 OIDC provider configuration', () => {
  it('flags a client_id_list without sts.amazonaws.com and an unconfigured issuer', async () => {
    const found = await runRule(cld06, {
      'infra/oidc.tf': `
        resource "aws_iam_openid_connect_provider" "github" {
          url             = "https://token.actions.githubusercontent.com"
          client_id_list  = ["https://github.com/payments"]
          thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1"]
        }
        resource "aws_iam_openid_connect_provider" "ci" {
          url            = "https://ci.example.net"
          client_id_list = ["sts.amazonaws.com"]
        }
      `,
    });
    expect(byLine(found).map((f) => [f.rule, f.severity, f.object, at(f)])).toEqual([
      ['CLD-06', 'medium', 'github', '3:3'],
      ['CLD-06', 'low', 'ci', '7:3'],
    ]);
  });

  it('accepts an EKS cluster issuer with sts.amazonaws.com', async () => {
    const found = await runRule(cld06, {
      'infra/eks.tf': `
        resource "aws_iam_openid_connect_provider" "eks" {
          url            = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
          client_id_list = ["sts.amazonaws.com"]
        }
      `,
    });
    expect(found).toEqual([]);
  });
});

describe('CLD-07 Kubernetes issuer trust', () => {
  const irsa = (sub: string, operator = 'StringLike') => `
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Allow",
        "Principal": { "Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE" },
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
          "${operator}": {
            "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub": "${sub}"
          }
        }
      }]
    }
  `;

  it('flags a namespace-wide service-account pattern', async () => {
    const found = await runRule(cld07, {
      'iam/irsa.json': irsa('system:serviceaccount:payments:*'),
    });
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([['CLD-07', 'high', '9:9']]);
  });

  it('accepts one exact service account', async () => {
    const found = await runRule(cld07, {
      'iam/irsa.json': irsa('system:serviceaccount:payments:api', 'StringEquals'),
    });
    expect(found).toEqual([]);
  });
});

describe('CLD-08 long-lived cloud credential resources', () => {
  it('flags SA keys, IAM access keys and Azure passwords at their labels', async () => {
    const found = await runRule(cld08, {
      'infra/keys.tf': `
        resource "google_service_account_key" "ci" {
          service_account_id = google_service_account.ci.name
        }
        resource "aws_iam_access_key" "deployer" {
          user = aws_iam_user.deployer.name
        }
        resource "azuread_application_password" "pipeline" {
          application_id = azuread_application.pipeline.id
        }
      `,
    });
    expect(byLine(found).map((f) => [f.rule, f.severity, f.object, at(f)])).toEqual([
      ['CLD-08', 'critical', 'ci', '1:39'],
      ['CLD-08', 'critical', 'deployer', '4:31'],
      ['CLD-08', 'critical', 'pipeline', '7:41'],
    ]);
  });

  it('accepts a service account without a key', async () => {
    const found = await runRule(cld08, {
      'infra/sa.tf': `
        resource "google_service_account" "ci" {
          account_id = "ci-deployer"
        }
      `,
    });
    expect(found).toEqual([]);
  });
});

describe('CLD-09 GCP Workload Identity Federation breadth', () => {
  it('flags a GitHub provider without attribute_condition and an owner-wide binding', async () => {
    const found = await runRule(cld09, {
      'infra/wif.tf': `
        resource "google_iam_workload_identity_pool_provider" "github" {
          workload_identity_pool_id          = google_iam_workload_identity_pool.ci.workload_identity_pool_id
          workload_identity_pool_provider_id = "github"
          attribute_mapping = {
            "google.subject"             = "assertion.sub"
            "attribute.repository_owner" = "assertion.repository_owner"
          }
          oidc {
            issuer_uri = "https://token.actions.githubusercontent.com"
          }
        }
        resource "google_service_account_iam_member" "ci" {
          service_account_id = google_service_account.ci.name
          role               = "roles/iam.workloadIdentityUser"
          member             = "principalSet://iam.googleapis.com/\${google_iam_workload_identity_pool.ci.name}/attribute.repository_owner/payments"
        }
      `,
    });
    expect(byLine(found).map((f) => [f.rule, f.severity, f.object, at(f)])).toEqual([
      ['CLD-09', 'high', 'github', '9:5'],
      ['CLD-09', 'medium', 'ci', '15:3'],
    ]);
  });

  it('accepts a provider with a condition and a repository-scoped binding', async () => {
    const found = await runRule(cld09, {
      'infra/wif.tf': `
        resource "google_iam_workload_identity_pool_provider" "github" {
          workload_identity_pool_id          = "ci"
          workload_identity_pool_provider_id = "github"
          attribute_condition                = "assertion.repository == 'payments/api'"
          oidc {
            issuer_uri = "https://token.actions.githubusercontent.com"
          }
        }
        resource "google_service_account_iam_member" "ci" {
          service_account_id = google_service_account.ci.name
          role               = "roles/iam.workloadIdentityUser"
          member             = "principalSet://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/ci/attribute.repository/payments/api"
        }
      `,
    });
    expect(found).toEqual([]);
  });
});

describe('CLD-09 in an authoritative google_iam_policy', () => {
  it('flags a whole-pool member of a data "google_iam_policy" binding, and only that one', async () => {
    const found = await runRule(cld09, {
      'infra/policy.tf': `
        data "google_iam_policy" "ci" {
          binding {
            role    = "roles/iam.workloadIdentityUser"
            members = [
              "principalSet://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/ci/attribute.repository/payments/api",
              "principalSet://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/ci/*",
            ]
          }
        }
        resource "google_service_account_iam_policy" "ci" {
          service_account_id = google_service_account.ci.name
          policy_data        = data.google_iam_policy.ci.policy_data
        }
      `,
    });
    expect(found.map((f) => [f.rule, f.severity, f.object, at(f)])).toEqual([
      ['CLD-09', 'high', 'ci', '4:5'],
    ]);
  });
});

describe('CLD-10 Azure federated identity credential', () => {
  it('flags a wildcard subject and a foreign audience', async () => {
    const found = await runRule(cld10, {
      'infra/azure.tf': `
        resource "azuread_application_federated_identity_credential" "github" {
          application_id = azuread_application.ci.id
          display_name   = "github-main"
          issuer         = "https://token.actions.githubusercontent.com"
          subject        = "repo:payments/*:ref:refs/heads/main"
          audiences      = ["sts.amazonaws.com"]
        }
      `,
    });
    expect(byLine(found).map((f) => [f.rule, f.severity, at(f)])).toEqual([
      ['CLD-10', 'high', '5:3'],
      ['CLD-10', 'high', '6:3'],
    ]);
  });

  it('accepts an exact subject with api://AzureADTokenExchange', async () => {
    const found = await runRule(cld10, {
      'infra/azure.tf': `
        resource "azuread_application_federated_identity_credential" "github" {
          application_id = azuread_application.ci.id
          display_name   = "github-prod"
          issuer         = "https://token.actions.githubusercontent.com"
          subject        = "repo:payments/api:environment:production"
          audiences      = ["api://AzureADTokenExchange"]
        }
      `,
    });
    expect(found).toEqual([]);
  });
});

describe('CLD-01 and Cognito identity pools', () => {
  it('accepts a Cognito trust pinned by its identity pool audience', async () => {
    const found = await runRule(cld01, {
      'iam/cognito-authenticated-trust.json': `
        {
          "Version": "2012-10-17",
          "Statement": [{
            "Effect": "Allow",
            "Principal": { "Federated": "cognito-identity.amazonaws.com" },
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
              "StringEquals": { "cognito-identity.amazonaws.com:aud": "eu-west-1:11111111-2222-3333-4444-555555555555" },
              "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": "authenticated" }
            }
          }]
        }
      `,
    });
    expect(found).toEqual([]);
  });
});

describe('CLD-11 Teleport provision tokens', () => {
  it('flags a reusable token join and a GitHub join without a repository', async () => {
    const found = await runRule(cld11, {
      'teleport/tokens.yaml': `
        kind: token
        version: v2
        metadata:
          name: nodes
        spec:
          roles: [Node]
          join_method: token
        ---
        kind: token
        version: v2
        metadata:
          name: github-bot
        spec:
          roles: [Bot]
          bot_name: ci
          join_method: github
          github:
            allow:
              - repository_owner: payments
      `,
    });
    expect(found.map((f) => [f.rule, f.severity, f.object, at(f)])).toEqual([
      ['CLD-11', 'medium', 'nodes', '7:3'],
      ['CLD-11', 'high', 'github-bot', '19:9'],
    ]);
  });

  it('flags an iam join open to any account in Terraform and accepts a pinned one', async () => {
    const found = await runRule(cld11, {
      'teleport/tokens.tf': `
        resource "teleport_provision_token" "open" {
          version = "v2"
          metadata = { name = "open" }
          spec = {
            roles       = ["Node"]
            join_method = "iam"
            allow       = [{ aws_account = "*" }]
          }
        }
        resource "teleport_provision_token" "pinned" {
          version = "v2"
          metadata = { name = "pinned" }
          spec = {
            roles       = ["Node"]
            join_method = "iam"
            allow       = [{ aws_account = "111122223333" }]
          }
        }
      `,
    });
    expect(found.map((f) => [f.rule, f.severity, f.object])).toEqual([['CLD-11', 'high', 'open']]);
  });

  it('accepts a single-use Bot token', async () => {
    const found = await runRule(cld11, {
      'teleport/bot.yaml': `
        kind: token
        version: v2
        metadata: { name: bot-bootstrap }
        spec: { roles: [Bot], bot_name: ci, join_method: token }
      `,
    });
    expect(found).toEqual([]);
  });
});

describe('CLD-12 tbot token join', () => {
  it('flags a token join without ca_pins', async () => {
    const found = await runRule(cld12, {
      'teleport/tbot.yaml': `
        version: v2
        proxy_server: teleport.example.com:443
        onboarding:
          join_method: token
          token: /var/lib/teleport/bot-token
        storage:
          type: directory
          path: /var/lib/teleport/bot
      `,
    });
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([['CLD-12', 'medium', '4:3']]);
  });

  it('accepts an iam join', async () => {
    const found = await runRule(cld12, {
      'teleport/tbot.yaml': `
        version: v2
        proxy_server: teleport.example.com:443
        onboarding:
          join_method: iam
          token: ci-bot-iam
      `,
    });
    expect(found).toEqual([]);
  });
});

/** A GitHub trust policy with the given `Action` and `Condition`, as IAM JSON. */
function githubTrust(action: unknown, condition?: unknown): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: {
            Federated:
              'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
          },
          Action: action,
          ...(condition === undefined ? {} : { Condition: condition }),
        },
      ],
    },
    null,
    2,
  );
}

const AUD = { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' };

describe('CLD-01/02/03 read the ForAnyValue: and ForAllValues: set qualifiers', () => {
  it('accepts a sub pinned with ForAnyValue:StringEquals', async () => {
    const trust = githubTrust('sts:AssumeRoleWithWebIdentity', {
      StringEquals: AUD,
      'ForAnyValue:StringEquals': {
        'token.actions.githubusercontent.com:sub': [
          'repo:payments/api:environment:production',
          'repo:payments/api:ref:refs/heads/main',
        ],
      },
    });
    for (const rule of [cld01, cld02, cld03]) {
      expect(await runRule(rule, { 'iam/deploy-trust.json': trust })).toEqual([]);
    }
  });

  it('reports ForAnyValue:StringLike repo:* as a wildcard subject, not as a missing one', async () => {
    const trust = githubTrust('sts:AssumeRoleWithWebIdentity', {
      StringEquals: AUD,
      'ForAnyValue:StringLike': {
        'token.actions.githubusercontent.com:sub': [
          'repo:payments/api:ref:refs/heads/main',
          'repo:*',
        ],
      },
    });
    expect(await runRule(cld01, { 'iam/deploy-trust.json': trust })).toEqual([]);
    const found = await runRule(cld03, { 'iam/deploy-trust.json': trust });
    expect(found.map((f) => [f.rule, f.severity])).toEqual([['CLD-03', 'critical']]);
  });

  it('reads an aud tested with ForAllValues:StringEquals as an aud condition', async () => {
    const trust = githubTrust('sts:AssumeRoleWithWebIdentity', {
      'ForAllValues:StringEquals': AUD,
      StringEquals: {
        'token.actions.githubusercontent.com:sub': 'repo:payments/api:environment:production',
      },
    });
    expect(await runRule(cld02, { 'iam/deploy-trust.json': trust })).toEqual([]);
  });
});

describe('CLD-01/02 read Action the way IAM does: case-insensitive, with wildcards', () => {
  it.each([
    'sts:assumerolewithwebidentity',
    'STS:AssumeRoleWithWebIdentity',
    'sts:AssumeRoleWith*',
    'sts:AssumeRole?ithWebIdentity',
    'sts:*',
    '*',
  ])('flags an open trust whose Action is %s', async (action) => {
    const files = { 'iam/deploy-trust.json': githubTrust([action, 'sts:TagSession']) };
    expect((await runRule(cld01, files)).map((f) => [f.rule, at(f)])).toEqual([['CLD-01', '7:9']]);
    expect((await runRule(cld02, files)).map((f) => f.rule)).toEqual(['CLD-02']);
  });

  it.each(['sts:AssumeRole', 'sts:TagSession', 'sts:AssumeRoleWithSAML', 's3:*'])(
    'leaves a statement whose Action %s does not allow web identity',
    async (action) => {
      const files = { 'iam/deploy-trust.json': githubTrust(action) };
      expect(await runRule(cld01, files)).toEqual([]);
      expect(await runRule(cld02, files)).toEqual([]);
    },
  );

  it('flags an aws_iam_policy_document whose actions are sts:*', async () => {
    const found = await runRule(cld01, {
      'infra/iam.tf': `
        data "aws_iam_policy_document" "trust" {
          statement {
            actions = ["sts:*"]
            principals {
              type        = "Federated"
              identifiers = ["arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"]
            }
          }
        }
      `,
    });
    expect(found.map((f) => f.rule)).toEqual(['CLD-01']);
  });
});

describe('CLD rules on Terraform JSON (.tf.json, as CDKTF writes it)', () => {
  const trustText = (condition?: unknown): string =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: {
            Federated: 'arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com',
          },
          Action: 'sts:AssumeRoleWithWebIdentity',
          ...(condition === undefined ? {} : { Condition: condition }),
        },
      ],
    });
  const role = (policy: string): string =>
    JSON.stringify(
      { resource: { aws_iam_role: { deploy: { name: 'deploy', assume_role_policy: policy } } } },
      null,
      2,
    );

  it('flags an open trust in a resource block written as an object, at its policy', async () => {
    const found = await runRule(cld01, { 'cdktf.out/main.tf.json': role(trustText()) });
    expect(found.map((f) => [f.rule, f.object, at(f)])).toEqual([['CLD-01', 'deploy', '6:9']]);
  });

  it('accepts a pinned trust in the same shape', async () => {
    const pinned = trustText({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': 'repo:payments/api:environment:production',
      },
    });
    for (const rule of [cld01, cld02, cld03]) {
      expect(await runRule(rule, { 'cdktf.out/main.tf.json': role(pinned) })).toEqual([]);
    }
  });

  it('reads an aws_iam_policy_document whose nested blocks are single objects', async () => {
    const found = await runRule(cld01, {
      'cdktf.out/main.tf.json': JSON.stringify(
        {
          data: {
            aws_iam_policy_document: {
              trust: {
                statement: {
                  actions: ['sts:AssumeRoleWithWebIdentity'],
                  principals: {
                    type: 'Federated',
                    identifiers: [
                      'arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com',
                    ],
                  },
                  condition: {
                    test: 'StringEquals',
                    variable: 'token.actions.githubusercontent.com:aud',
                    values: ['sts.amazonaws.com'],
                  },
                },
              },
            },
          },
          resource: {
            aws_iam_role: {
              deploy: { assume_role_policy: '${data.aws_iam_policy_document.trust.json}' },
            },
          },
        },
        null,
        2,
      ),
    });
    expect(found.map((f) => [f.rule, f.object, at(f)])).toEqual([['CLD-01', 'trust', '9:11']]);
  });
});

describe('CLD-01/02 and Terraform dynamic "condition" blocks', () => {
  const TF = 'iam/github.tf';
  const trust = (conditions: string): string =>
    webIdentityPolicyDocument('github_trust', 'token.actions.githubusercontent.com', conditions);

  it('says it cannot verify, at low, when for_each is computed, instead of "no sub condition"', async () => {
    const files = {
      [TF]: trust(COMPUTED_DYNAMIC_CONDITION),
    };
    for (const rule of [cld01, cld02]) {
      const found = await runRule(rule, files);
      expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([
        [rule.meta.id, 'low', '9:13'],
      ]);
      expect(found[0]!.message).toContain('cannot verify statically');
    }
  });

  it('expands a literal list for_each and accepts the sub and aud conditions it generates', async () => {
    const files = {
      [TF]: trust(`
        dynamic "condition" {
          for_each = [
            { test = "StringEquals", variable = "token.actions.githubusercontent.com:aud", values = ["sts.amazonaws.com"] },
            { test = "StringEquals", variable = "token.actions.githubusercontent.com:sub", values = ["repo:example/app:environment:production"] },
          ]
          iterator = pin
          content {
            test     = pin.value.test
            variable = pin.value["variable"]
            values   = pin.value.values
          }
        }`),
    };
    expect(await runRule(cld01, files)).toEqual([]);
    expect(await runRule(cld02, files)).toEqual([]);
  });

  it('expands a literal map for_each, keys included', async () => {
    const files = {
      [TF]: trust(`
        dynamic "condition" {
          for_each = { sub = "repo:example/app:ref:refs/heads/main", aud = "sts.amazonaws.com" }
          content {
            test     = "StringEquals"
            variable = "token.actions.githubusercontent.com:\${condition.key}"
            values   = [condition.value]
          }
        }`),
    };
    expect(await runRule(cld01, files)).toEqual([]);
    expect(await runRule(cld02, files)).toEqual([]);
  });

  it('still reports a literal for_each that generates no sub condition, at critical', async () => {
    const found = await runRule(cld01, {
      [TF]: trust(`
        dynamic "condition" {
          for_each = ["sts.amazonaws.com"]
          content {
            test     = "StringEquals"
            variable = "token.actions.githubusercontent.com:aud"
            values   = [condition.value]
          }
        }`),
    });
    expect(found.map((f) => [f.severity, f.message])).toEqual([
      ['critical', expect.stringContaining('no `sub` condition')],
    ]);
  });
});
