import { describe, expect, it } from 'vitest';
import type { Rule } from '../../../../src/core/scan/rule.ts';
import { rule as vlt01 } from '../../../../src/core/scan/rules/vlt-01-broad-policy-path.ts';
import { rule as vlt02 } from '../../../../src/core/scan/rules/vlt-02-privileged-policy-path.ts';
import { rule as vlt03 } from '../../../../src/core/scan/rules/vlt-03-policy-namespace-mismatch.ts';
import { rule as vlt04 } from '../../../../src/core/scan/rules/vlt-04-template-alias-key.ts';
import { rule as vlt05 } from '../../../../src/core/scan/rules/vlt-05-kubernetes-role-wildcard.ts';
import { rule as vlt06 } from '../../../../src/core/scan/rules/vlt-06-kubernetes-role-ttl.ts';
import { rule as vlt07 } from '../../../../src/core/scan/rules/vlt-07-kubernetes-mount-name.ts';
import { rule as vlt08 } from '../../../../src/core/scan/rules/vlt-08-kubernetes-role-audience.ts';
import { rule as vlt09 } from '../../../../src/core/scan/rules/vlt-09-jwt-role-claims.ts';
import { rule as vlt10 } from '../../../../src/core/scan/rules/vlt-10-jwt-glob-org-wide.ts';
import { rule as vlt11 } from '../../../../src/core/scan/rules/vlt-11-jwt-role-audience.ts';
import { rule as vlt12 } from '../../../../src/core/scan/rules/vlt-12-jwt-role-ttl.ts';
import { rule as vlt13 } from '../../../../src/core/scan/rules/vlt-13-jwt-mount-issuer.ts';
import { rule as vlt14 } from '../../../../src/core/scan/rules/vlt-14-approle-limits.ts';
import { rule as vlt15 } from '../../../../src/core/scan/rules/vlt-15-approle-in-pipeline.ts';
import { rule as vlt16 } from '../../../../src/core/scan/rules/vlt-16-agent-jwt-role.ts';
import { rule as vlt17 } from '../../../../src/core/scan/rules/vlt-17-teleport-jwt-role.ts';
import { rule as vlt18 } from '../../../../src/core/scan/rules/vlt-18-long-lived-vault-token.ts';
import type { LocatedFinding } from './support/run-rule.ts';
import { at, runRule } from './support/run-rule.ts';

function located(found: readonly LocatedFinding[]): string[][] {
  return [...found]
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .map((f) => [f.rule, f.severity, at(f)]);
}

/** A compliant platform: templated workload policy, pinned roles, short TTLs. */
const COMPLIANT_TF = `
  resource "vault_auth_backend" "kubernetes" {
    type = "kubernetes"
    path = "kubernetes-prod"
  }
  resource "vault_policy" "payments_api" {
    name   = "payments-api"
    policy = <<-EOT
      path "secret/data/ns/{{identity.entity.aliases.auth_kubernetes_1a2b3c4d.metadata.service_account_namespace}}/*" {
        capabilities = ["read"]
      }
      path "auth/token/renew-self" {
        capabilities = ["update"]
      }
    EOT
  }
  resource "vault_kubernetes_auth_backend_role" "payments_api" {
    backend                          = "kubernetes-prod"
    role_name                        = "payments-api"
    bound_service_account_names      = ["payments-api"]
    bound_service_account_namespaces = ["payments"]
    audience                         = "vault"
    token_ttl                        = 3600
    token_max_ttl                    = 14400
    token_policies                   = ["payments-api"]
  }
  resource "vault_jwt_auth_backend" "github" {
    path               = "github-actions"
    oidc_discovery_url = "https://token.actions.githubusercontent.com"
    bound_issuer       = "https://token.actions.githubusercontent.com"
  }
  resource "vault_jwt_auth_backend_role" "payments_deploy_prod" {
    backend         = "github-actions"
    role_name       = "payments-deploy-prod"
    role_type       = "jwt"
    user_claim      = "actor"
    bound_audiences = ["https://github.com/payments"]
    bound_claims = {
      repository = "payments/api"
      ref        = "refs/heads/main"
    }
    token_ttl      = 600
    token_policies = ["payments-deploy-prod"]
  }
  resource "vault_approle_auth_backend_role" "legacy_batch" {
    role_name          = "legacy-batch"
    secret_id_num_uses = 1
    secret_id_ttl      = 3600
    token_ttl          = 3600
    token_max_ttl      = 14400
  }
  resource "vault_audit" "file" {
    type = "file"
    options = { file_path = "/vault/audit/audit.log" }
  }
`;

describe('Vault rules on a compliant Terraform configuration', () => {
  const rules: Rule[] = [
    vlt01,
    vlt02,
    vlt03,
    vlt04,
    vlt05,
    vlt06,
    vlt07,
    vlt09,
    vlt10,
    vlt11,
    vlt12,
    vlt13,
    vlt14,
    vlt16,
    vlt17,
    vlt18,
  ];
  it.each(rules)('$meta.id reports nothing', async (rule) => {
    expect(await runRule(rule, { 'vault/main.tf': COMPLIANT_TF })).toEqual([]);
  });
});

describe('VLT-01 policy grants a whole mount', () => {
  it('flags secret/* and path "*" in a policy file, not a deny rule', async () => {
    const found = await runRule(vlt01, {
      'vault/policies/ci.hcl': `
        path "secret/*" {
          capabilities = ["read", "list"]
        }
        path "secret/data/ns/payments/db" {
          capabilities = ["read"]
        }
        path "secret/data/ns/payments/admin" {
          capabilities = ["deny"]
        }
        path "*" {
          capabilities = ["read"]
        }
      `,
    });
    expect(located(found)).toEqual([
      ['VLT-01', 'high', '1:6'],
      ['VLT-01', 'high', '10:6'],
    ]);
  });

  it('flags secret/data/* inside a Terraform vault_policy heredoc', async () => {
    const found = await runRule(vlt01, {
      'vault/policies.tf': `
        resource "vault_policy" "reader" {
          name   = "reader"
          policy = <<-EOT
            path "secret/data/*" {
              capabilities = ["read"]
            }
          EOT
        }
      `,
    });
    expect(located(found)).toEqual([['VLT-01', 'high', '4:10']]);
    expect(found[0]!.object).toBe('reader');
  });
});

describe('VLT-02 workload policy with administration rights', () => {
  it('flags sudo and writes under sys/ in a JSON workload policy', async () => {
    const found = await runRule(vlt02, {
      'vault/policies/payments-api.json': `
        {
          "path": {
            "sys/mounts/*": { "capabilities": ["create", "update"] },
            "secret/data/ns/payments/*": { "capabilities": ["read", "sudo"] },
            "auth/token/renew-self": { "capabilities": ["update"] }
          }
        }
      `,
    });
    expect(located(found)).toEqual([
      ['VLT-02', 'high', '3:5'],
      ['VLT-02', 'high', '4:5'],
    ]);
  });

  it('leaves platform policies to their owners', async () => {
    const found = await runRule(vlt02, {
      'vault/policies/platform-admin.hcl': `
        path "sys/*" {
          capabilities = ["create", "read", "update", "delete", "list", "sudo"]
        }
      `,
    });
    expect(found).toEqual([]);
  });
});

describe('VLT-03 policy namespace versus role namespaces', () => {
  it('flags a literal namespace the granting role is not bound to', async () => {
    const found = await runRule(vlt03, {
      'vault/policies/payments-api.hcl': `
        path "secret/data/ns/billing/*" {
          capabilities = ["read"]
        }
      `,
      'vault/auth/kubernetes-prod/role/payments-api.json': `
        {
          "bound_service_account_names": ["payments-api"],
          "bound_service_account_namespaces": ["payments"],
          "token_policies": ["payments-api"]
        }
      `,
    });
    expect(located(found)).toEqual([['VLT-03', 'medium', '1:6']]);
    expect(found[0]!.message).toContain('billing');
  });

  it('accepts the namespace the role is bound to', async () => {
    const found = await runRule(vlt03, {
      'vault/policies/payments-api.hcl': `
        path "secret/data/ns/payments/*" { capabilities = ["read"] }
      `,
      'vault/auth/kubernetes-prod/role/payments-api.json': `
        { "bound_service_account_names": ["payments-api"], "bound_service_account_namespaces": ["payments"], "token_policies": ["payments-api"] }
      `,
    });
    expect(found).toEqual([]);
  });
});

describe('VLT-04 template alias key', () => {
  it('flags a template keyed by a mount path rather than an accessor', async () => {
    const found = await runRule(vlt04, {
      'vault/policies/tenant.hcl': `
        path "secret/data/ns/{{identity.entity.aliases.kubernetes.metadata.service_account_namespace}}/*" {
          capabilities = ["read"]
        }
      `,
    });
    expect(located(found)).toEqual([['VLT-04', 'low', '1:6']]);
  });
});

describe('VLT-05 Kubernetes role bound to everything', () => {
  it('flags "*" service accounts in a role payload', async () => {
    const found = await runRule(vlt05, {
      'vault/auth/kubernetes-prod/role/tekton.json': `
        {
          "bound_service_account_names": ["*"],
          "bound_service_account_namespaces": ["tekton-pipelines"],
          "token_policies": ["tekton"]
        }
      `,
    });
    expect(located(found)).toEqual([['VLT-05', 'high', '2:3']]);
  });
});

describe('VLT-06 Kubernetes role token lifetime', () => {
  it('rates ttl over 1h high and max_ttl over 24h critical', async () => {
    const found = await runRule(vlt06, {
      'vault/auth/kubernetes-prod/role/api.json': `
        {
          "bound_service_account_names": ["api"],
          "bound_service_account_namespaces": ["payments"],
          "token_ttl": "2h",
          "token_max_ttl": "72h"
        }
      `,
    });
    expect(located(found)).toEqual([
      ['VLT-06', 'high', '4:3'],
      ['VLT-06', 'critical', '5:3'],
    ]);
  });

  it('rates max_ttl between 4h and 24h medium', async () => {
    const found = await runRule(vlt06, {
      'vault/auth/kubernetes-prod/role/api.json': `
        { "bound_service_account_names": ["api"], "bound_service_account_namespaces": ["payments"], "token_ttl": "1h", "token_max_ttl": "8h" }
      `,
    });
    expect(found.map((f) => f.severity)).toEqual(['medium']);
  });
});

describe('VLT-07 Kubernetes mount naming', () => {
  it('flags a bare kubernetes mount', async () => {
    const found = await runRule(vlt07, {
      'vault/auth.tf': `
        resource "vault_auth_backend" "k8s" {
          type = "kubernetes"
        }
      `,
    });
    expect(located(found)).toEqual([['VLT-07', 'low', '2:3']]);
    expect(found[0]!.message).toContain('auth/kubernetes-<cluster>');
  });
});

describe('VLT-08 Kubernetes role audience', () => {
  const deployment = `
    apiVersion: apps/v1
    kind: Deployment
    metadata: { name: api, namespace: payments }
    spec:
      template:
        spec:
          serviceAccountName: api
          volumes:
            - name: vault-token
              projected:
                sources:
                  - serviceAccountToken: { audience: vault, expirationSeconds: 600, path: token }
  `;

  it('flags a role without audience when workloads project audience vault', async () => {
    const found = await runRule(vlt08, {
      'k8s/api.yaml': deployment,
      'vault/auth/kubernetes-prod/role/api.json': `
        { "bound_service_account_names": ["api"], "bound_service_account_namespaces": ["payments"] }
      `,
    });
    expect(found.map((f) => [f.rule, f.severity])).toEqual([['VLT-08', 'low']]);
  });

  it('stays silent when the role sets the audience', async () => {
    const found = await runRule(vlt08, {
      'k8s/api.yaml': deployment,
      'vault/auth/kubernetes-prod/role/api.json': `
        { "bound_service_account_names": ["api"], "bound_service_account_namespaces": ["payments"], "audience": "vault" }
      `,
    });
    expect(found).toEqual([]);
  });
});

describe('VLT-09 CI JWT role bindings', () => {
  it('rates a GitHub role without any binding critical', async () => {
    const found = await runRule(vlt09, {
      'vault/auth/github-actions/role/deploy.json': `
        { "role_type": "jwt", "user_claim": "actor", "bound_audiences": ["https://github.com/payments"], "token_policies": ["deploy"] }
      `,
    });
    expect(located(found)).toEqual([['VLT-09', 'critical', '1:1']]);
  });

  it('rates a prod GitLab role bound to the project but not the ref high', async () => {
    const found = await runRule(vlt09, {
      'vault/ci.tf': `
        resource "vault_jwt_auth_backend_role" "deploy" {
          backend         = "gitlab"
          role_name       = "payments-deploy-prod"
          role_type       = "jwt"
          user_claim      = "user_email"
          bound_audiences = ["https://vault.example.com"]
          bound_claims = {
            project_path = "payments/api"
          }
        }
      `,
    });
    expect(located(found)).toEqual([['VLT-09', 'high', '7:3']]);
    expect(found[0]!.message).toContain('ref');
  });
});

describe('VLT-10 glob binding over an organisation', () => {
  it('rates an org-wide glob on a prod role high', async () => {
    const found = await runRule(vlt10, {
      'vault/auth/github-actions/role/deploy-prod.json': `
        {
          "role_type": "jwt",
          "bound_claims_type": "glob",
          "bound_claims": { "repository": "payments/*", "ref": "refs/heads/main" },
          "token_policies": ["payments-prod"]
        }
      `,
    });
    expect(located(found)).toEqual([['VLT-10', 'high', '4:21']]);
  });

  it('accepts a glob over refs of one repository', async () => {
    const found = await runRule(vlt10, {
      'vault/auth/github-actions/role/deploy-prod.json': `
        { "role_type": "jwt", "bound_claims_type": "glob", "bound_claims": { "repository": "payments/api", "ref": "refs/tags/v*" } }
      `,
    });
    expect(found).toEqual([]);
  });
});

describe('VLT-11 CI JWT role audience', () => {
  it('flags a GitLab role without bound_audiences', async () => {
    const found = await runRule(vlt11, {
      'vault/auth/gitlab/role/ci.json': `
        { "role_type": "jwt", "user_claim": "user_email", "bound_claims": { "project_path": "payments/api", "ref_protected": "true" } }
      `,
    });
    expect(found.map((f) => [f.rule, f.severity])).toEqual([['VLT-11', 'high']]);
  });
});

describe('VLT-12 CI JWT role token lifetime', () => {
  it('rates 30m low and 2h high', async () => {
    const role = (ttl: string) => `
      { "role_type": "jwt", "bound_audiences": ["https://github.com/payments"], "bound_claims": { "repository": "payments/api" }, "token_ttl": "${ttl}" }
    `;
    const low = await runRule(vlt12, { 'vault/auth/github-actions/role/ci.json': role('30m') });
    const high = await runRule(vlt12, { 'vault/auth/github-actions/role/ci.json': role('2h') });
    expect([...low, ...high].map((f) => f.severity)).toEqual(['low', 'high']);
    expect(await runRule(vlt12, { 'vault/auth/github-actions/role/ci.json': role('10m') })).toEqual(
      [],
    );
  });
});

describe('VLT-13 JWT mount issuer', () => {
  it('flags a GitHub mount that trusts another issuer', async () => {
    const found = await runRule(vlt13, {
      'vault/jwt.tf': `
        resource "vault_jwt_auth_backend" "github" {
          path               = "github-actions"
          oidc_discovery_url = "https://gitlab.com"
        }
      `,
    });
    expect(located(found)).toEqual([['VLT-13', 'high', '3:3']]);
  });
});

describe('VLT-14 AppRole limits', () => {
  it('flags reusable SecretIDs and a long secret_id_ttl, and unset token TTLs', async () => {
    const found = await runRule(vlt14, {
      'vault/auth/approle/role/batch.json': `
        { "secret_id_num_uses": 0, "secret_id_ttl": "24h", "token_policies": ["batch"] }
      `,
    });
    expect(found.map((f) => [f.rule, f.severity])).toEqual([
      ['VLT-14', 'high'],
      ['VLT-14', 'high'],
      ['VLT-14', 'high'],
    ]);
    expect(found.map((f) => f.message).join(' ')).toMatch(
      /without limit.*secret_id_ttl 24h.*token_ttl unset/,
    );
  });
});

describe('VLT-15 AppRole login from an OIDC-capable pipeline', () => {
  it('flags an AppRole login in GitLab CI', async () => {
    const found = await runRule(vlt15, {
      '.gitlab-ci.yml': `
        deploy:
          script:
            - export VAULT_TOKEN=$(vault write -field=token auth/approle/login role_id=$ROLE_ID secret_id=$SECRET_ID)
      `,
    });
    expect(located(found)).toEqual([['VLT-15', 'high', '3:7']]);
  });

  it('accepts a JWT login', async () => {
    const found = await runRule(vlt15, {
      '.gitlab-ci.yml': `
        deploy:
          id_tokens: { VAULT_ID_TOKEN: { aud: https://vault.example.com } }
          script: [vault write auth/gitlab/login role=ci jwt=$VAULT_ID_TOKEN]
      `,
    });
    expect(found).toEqual([]);
  });
});

describe('VLT-16 agent JWT role', () => {
  it('flags a user_claim other than sub, no groups_claim and a long TTL', async () => {
    const found = await runRule(vlt16, {
      'vault/auth/agents/role/assistant.json': `
        { "role_type": "jwt", "user_claim": "email", "bound_audiences": ["vault"], "token_ttl": "8h" }
      `,
    });
    expect(found.map((f) => f.message)).toEqual([
      expect.stringContaining('user_claim "email"'),
      expect.stringContaining('no groups_claim'),
      expect.stringContaining('token_ttl 8h'),
    ]);
    expect(new Set(found.map((f) => f.severity))).toEqual(new Set(['medium']));
  });
});

describe('VLT-17 Teleport JWT role', () => {
  it('flags a role without bot_name binding', async () => {
    const found = await runRule(vlt17, {
      'vault/auth/teleport/role/machines.json': `
        { "role_type": "jwt", "user_claim": "sub", "bound_audiences": ["vault"], "bound_claims": { "roles": "machine" }, "token_ttl": "1h" }
      `,
    });
    expect(located(found)).toEqual([['VLT-17', 'medium', '1:74']]);
  });
});

describe('VLT-18 periodic or uncapped tokens', () => {
  it('flags a periodic vault_token and a periodic token role', async () => {
    const found = await runRule(vlt18, {
      'vault/tokens.tf': `
        resource "vault_token" "batch" {
          policies = ["batch"]
          period   = "768h"
        }
        resource "vault_token_auth_backend_role" "service" {
          role_name        = "service"
          allowed_policies = ["service"]
          token_period     = 86400
        }
      `,
    });
    expect(located(found)).toEqual([
      ['VLT-18', 'high', '3:3'],
      ['VLT-18', 'high', '8:3'],
    ]);
  });

  it('flags vault token create -period in a pipeline', async () => {
    const found = await runRule(vlt18, {
      '.gitlab-ci.yml': `
        bootstrap:
          script: [vault token create -policy=ci -period=24h]
      `,
    });
    expect(found).toHaveLength(1);
  });
});
