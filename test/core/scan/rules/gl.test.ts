import { describe, expect, it } from 'vitest';
import { rule as ci01 } from '../../../../src/core/scan/rules/ci-01-gcloud-key-file.ts';
import { rule as gl01 } from '../../../../src/core/scan/rules/gl-01-legacy-job-jwt.ts';
import { rule as gl02 } from '../../../../src/core/scan/rules/gl-02-id-token-audience.ts';
import { rule as gl03 } from '../../../../src/core/scan/rules/gl-03-static-cloud-credentials.ts';
import { rule as gl04 } from '../../../../src/core/scan/rules/gl-04-vault-login-mount.ts';
import { rule as gl05 } from '../../../../src/core/scan/rules/gl-05-prod-job-ungated.ts';
import { at, runRule } from './support/run-rule.ts';

const CI = '.gitlab-ci.yml';

/** A compliant GitLab pipeline: id_tokens with an audience, JWT login, protected prod job. */
const COMPLIANT = `
  stages: [deploy]
  .vault-login:
    id_tokens:
      VAULT_ID_TOKEN:
        aud: https://vault.example.com
    before_script:
      - export VAULT_TOKEN="$(vault write -field=token auth/gitlab/login role=payments-deploy jwt=$VAULT_ID_TOKEN)"
  deploy-production:
    extends: .vault-login
    stage: deploy
    environment: production
    rules:
      - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
    script:
      - vault kv get -field=password secret/ns/payments/db
`;

describe('GitLab CI rules on a compliant pipeline', () => {
  it.each([gl01, gl02, gl03, gl04, gl05, ci01])('$meta.id reports nothing', async (rule) => {
    expect(await runRule(rule, { [CI]: COMPLIANT })).toEqual([]);
  });
});

describe('GL-01 legacy CI_JOB_JWT or login without id_tokens', () => {
  it('flags CI_JOB_JWT_V2 at the script line that uses it', async () => {
    const found = await runRule(gl01, {
      [CI]: `
        deploy:
          script:
            - echo start
            - export VAULT_TOKEN="$(vault write -field=token auth/gitlab/login role=ci jwt=$CI_JOB_JWT_V2)"
      `,
    });
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([['GL-01', 'high', '4:7']]);
    expect(found[0]!.message).toContain('CI_JOB_JWT_V2');
  });

  it('flags a Vault login in a job that requests no id_tokens', async () => {
    const found = await runRule(gl01, {
      [CI]: `
        deploy:
          script:
            - vault write auth/gitlab/login role=ci jwt=$SOME_TOKEN
      `,
    });
    expect(found.map((f) => at(f))).toEqual(['3:7']);
  });

  it('flags native Vault secrets without id_tokens', async () => {
    const found = await runRule(gl01, {
      [CI]: `
        deploy:
          secrets:
            DATABASE_PASSWORD:
              vault: ns/payments/db/password@secret
          script: [./deploy.sh]
      `,
    });
    expect(found.map((f) => at(f))).toEqual(['2:3']);
  });

  it('does not guess about jobs extending a template from an include', async () => {
    const found = await runRule(gl01, {
      [CI]: `
        include: { project: platform/ci-templates, file: vault.yml }
        deploy:
          extends: .vault-from-include
          script: [vault write auth/gitlab/login role=ci jwt=$VAULT_ID_TOKEN]
      `,
    });
    expect(found).toEqual([]);
  });
});

describe('GL-02 id_tokens audience', () => {
  it('flags an id_tokens entry without aud', async () => {
    const found = await runRule(gl02, {
      [CI]: `
        deploy:
          id_tokens:
            VAULT_ID_TOKEN: {}
          script: [./deploy.sh]
      `,
    });
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([['GL-02', 'high', '3:5']]);
  });

  it('flags an aud that no GitLab JWT role in the scan binds', async () => {
    const files = {
      [CI]: `
        deploy:
          id_tokens:
            VAULT_ID_TOKEN:
              aud: https://vault.other.example.com
          script: [./deploy.sh]
      `,
      'vault/auth/gitlab/role/payments-deploy.json': `
        {
          "role_type": "jwt",
          "user_claim": "user_email",
          "bound_audiences": ["https://vault.example.com"],
          "bound_claims": { "project_path": "payments/api", "ref": "main" }
        }
      `,
    };
    const found = await runRule(gl02, files);
    expect(found.map((f) => at(f))).toEqual(['4:7']);
    expect(found[0]!.message).toContain('https://vault.other.example.com');
  });
});

describe('GL-02 compares only the id_tokens used for Vault with Vault roles', () => {
  const ROLE = {
    'vault/auth/gitlab/role/payments-deploy.json': `
      {
        "role_type": "jwt",
        "bound_audiences": ["https://vault.example.com"],
        "bound_claims": { "project_path": "payments/api", "ref": "main" }
      }
    `,
  };
  /** Runs GL-02 on a CI file next to a GitLab JWT role that binds https://vault.example.com. */
  const scanWithRole = (ci: string) => runRule(gl02, { ...ROLE, [CI]: ci });

  it('accepts an AWS-bound token next to a Vault token whose aud the role binds', async () => {
    const found = await scanWithRole(`
        deploy:
          id_tokens:
            VAULT_ID_TOKEN:
              aud: https://vault.example.com
            AWS_TOKEN:
              aud: sts.amazonaws.com
          secrets:
            DB_PASSWORD:
              vault: payments/db/password@kv
              token: $VAULT_ID_TOKEN
          script:
            - echo "$AWS_TOKEN" > /tmp/web-identity
            - aws sts assume-role-with-web-identity --web-identity-token file:///tmp/web-identity --role-arn "$ROLE_ARN" --role-session-name ci
      `);
    expect(found).toEqual([]);
  });

  it('accepts tokens for GCP and Azure, whatever they are named', async () => {
    const found = await scanWithRole(`
        default:
          id_tokens:
            GCP_ID_TOKEN:
              aud: https://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/ci/providers/gitlab
            AZURE_TOKEN:
              aud: api://AzureADTokenExchange
        build:
          script: [./build.sh]
      `);
    expect(found).toEqual([]);
  });

  it('flags a token handed to Vault through secrets: token: whose aud no role binds', async () => {
    const found = await scanWithRole(`
        deploy:
          id_tokens:
            ID_TOKEN_1:
              aud: https://gitlab.example.com
          secrets:
            DB_PASSWORD:
              vault: payments/db/password@kv
              token: $ID_TOKEN_1
          script: [./deploy.sh]
      `);
    expect(found.map((f) => [f.object, at(f)])).toEqual([['deploy', '4:7']]);
  });

  it("flags a job's only token when its secrets: read from Vault without naming one", async () => {
    const found = await scanWithRole(`
        deploy:
          id_tokens:
            MY_JWT:
              aud: https://gitlab.example.com
          secrets:
            DB_PASSWORD: { vault: payments/db/password@kv }
          script: [./deploy.sh]
      `);
    expect(found.map((f) => at(f))).toEqual(['4:7']);
  });

  it('flags a token a vault login in the script expands, even under an AWS audience', async () => {
    const found = await scanWithRole(`
        deploy:
          id_tokens:
            CI_JWT:
              aud: sts.amazonaws.com
          script:
            - export VAULT_TOKEN="$(vault write -field=token auth/gitlab/login role=payments-deploy jwt=\${CI_JWT})"
      `);
    expect(found.map((f) => at(f))).toEqual(['4:7']);
    expect(found[0]!.message).toContain('sts.amazonaws.com');
  });

  it('still flags a token with no aud, whatever it is for', async () => {
    const found = await scanWithRole(`
        deploy:
          id_tokens:
            AWS_TOKEN: {}
          script: [./deploy.sh]
      `);
    expect(found.map((f) => at(f))).toEqual(['3:5']);
  });
});

describe('GL-03 static credentials in GitLab CI', () => {
  it('flags AWS keys in variables and a literal key as committed', async () => {
    const found = await runRule(gl03, {
      [CI]: `
        variables:
          AWS_ACCESS_KEY_ID: AKIAIOSFODNN7EXAMPLE
          AWS_DEFAULT_REGION: eu-west-1
        deploy:
          variables:
            AWS_SECRET_ACCESS_KEY: $PROD_AWS_SECRET
          script: [aws s3 ls]
      `,
    });
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([
      ['GL-03', 'critical', '2:3'],
      ['GL-03', 'critical', '6:5'],
    ]);
    expect(found[0]!.message).toContain('literal AWS access key');
  });

  it('flags exporting VAULT_TOKEN from a stored variable, not from a login', async () => {
    const found = await runRule(gl03, {
      [CI]: `
        deploy:
          script:
            - export VAULT_TOKEN=$VAULT_ROOTISH_TOKEN
            - export VAULT_TOKEN="$(vault write -field=token auth/gitlab/login role=ci jwt=$ID)"
      `,
    });
    expect(found.map((f) => at(f))).toEqual(['3:7']);
  });

  it('flags an SA key pasted into GOOGLE_APPLICATION_CREDENTIALS but not a WIF config path', async () => {
    const found = await runRule(gl03, {
      [CI]: `
        variables:
          GOOGLE_APPLICATION_CREDENTIALS: $CI_BUILDS_DIR/.gcp_temp_cred.json
        upload:
          variables:
            GOOGLE_APPLICATION_CREDENTIALS: '{"type": "service_account", "private_key": "-----BEGIN"}'
          script: [gsutil cp a gs://b]
      `,
    });
    expect(found.map((f) => at(f))).toEqual(['5:5']);
  });
});

describe('GL-03: key files and scripts', () => {
  it('flags GOOGLE_APPLICATION_CREDENTIALS set to a stored file variable', async () => {
    const found = await runRule(gl03, {
      [CI]: `
        deploy:
          variables:
            GOOGLE_APPLICATION_CREDENTIALS: $GCP_SA_KEY_FILE
          script: [terraform apply]
      `,
    });
    expect(found.map((f) => at(f))).toEqual(['3:5']);
  });

  it('flags exporting GOOGLE_APPLICATION_CREDENTIALS at a file the job wrote a stored key into', async () => {
    const found = await runRule(gl03, {
      [CI]: `
        deploy:
          script:
            - echo "$GCP_SA_KEY" | base64 -d > /tmp/key.json
            - export GOOGLE_APPLICATION_CREDENTIALS=/tmp/key.json
            - terraform apply
      `,
    });
    expect(found.map((f) => at(f))).toEqual(['4:7']);
  });

  it('passes a credential configuration built from the job id_token', async () => {
    const found = await runRule(gl03, {
      [CI]: `
        deploy:
          id_tokens: { GCP_ID_TOKEN: { aud: https://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/gl } }
          script:
            - echo "$GCP_ID_TOKEN" > /tmp/oidc.jwt
            - gcloud iam workload-identity-pools create-cred-config projects/1/locations/global/workloadIdentityPools/p/providers/gl --credential-source-file=/tmp/oidc.jwt --output-file=/tmp/creds.json
            - export GOOGLE_APPLICATION_CREDENTIALS=/tmp/creds.json
            - export GOOGLE_APPLICATION_CREDENTIALS=$CI_PROJECT_DIR/creds.json
      `,
    });
    expect(found).toEqual([]);
  });

  it('checks every export of a multi-line script item, not only the first', async () => {
    const found = await runRule(gl03, {
      [CI]: `
        deploy:
          script:
            - |
              export VAULT_TOKEN="$(vault write -field=token auth/gitlab/login role=ci jwt=$ID)"
              export AWS_SECRET_ACCESS_KEY=$STATIC_AWS_SECRET
      `,
    });
    expect(found.map((f) => f.message)).toEqual([
      'AWS_SECRET_ACCESS_KEY in job deploy script passes a static credential instead of an id_tokens exchange.',
    ]);
  });
});

describe('GL-04 Vault login mount and role', () => {
  it('flags a login through the generic jwt mount without a role', async () => {
    const found = await runRule(gl04, {
      [CI]: `
        deploy:
          id_tokens: { VAULT_ID_TOKEN: { aud: https://vault.example.com } }
          script:
            - vault write -field=token auth/jwt/login jwt=$VAULT_ID_TOKEN
      `,
    });
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([['GL-04', 'low', '4:7']]);
    expect(found[0]!.message).toMatch(/auth\/jwt is not the GitLab JWT mount and no `role=`/);
  });
});

describe('GL-05 ungated production job', () => {
  it('flags a production job without environment or protected-ref rules', async () => {
    const found = await runRule(gl05, {
      [CI]: `
        stages: [build, deploy]
        deploy_prod:
          stage: deploy
          script: [./deploy.sh production]
      `,
    });
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([['GL-05', 'medium', '2:1']]);
  });

  it('accepts a production job restricted to the default branch', async () => {
    const found = await runRule(gl05, {
      [CI]: `
        deploy-production:
          rules:
            - if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH'
          script: [./deploy.sh]
      `,
    });
    expect(found).toEqual([]);
  });

  const gates: readonly [string, string, boolean][] = [
    ['the default branch, reversed', `- if: $CI_DEFAULT_BRANCH == $CI_COMMIT_BRANCH`, true],
    ['main by name', `- if: $CI_COMMIT_REF_NAME == "main"`, true],
    ['tags', `- if: $CI_COMMIT_TAG`, true],
    ['protected refs', `- if: $CI_COMMIT_REF_PROTECTED == "true"`, true],
    [
      'a never rule dropping every other branch, then a catch-all',
      `- if: $CI_COMMIT_BRANCH != $CI_DEFAULT_BRANCH\n    when: never\n  - when: on_success`,
      true,
    ],
    ['every branch except the default one', `- if: $CI_COMMIT_BRANCH != $CI_DEFAULT_BRANCH`, false],
    ['main or anything', `- if: $CI_COMMIT_BRANCH == "main" || $DEPLOY == "yes"`, false],
    ['a tag compared to null (no tag)', `- if: $CI_COMMIT_TAG == null`, false],
    [
      'a protected rule followed by a catch-all',
      `- if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n  - when: manual`,
      false,
    ],
    [
      'a never rule that drops only some branches',
      `- if: $CI_COMMIT_BRANCH != $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE == "push"\n    when: never\n  - when: on_success`,
      false,
    ],
    ['changes alone', `- changes: [deploy/**]`, false],
  ];
  it.each(gates)('rules restricted to %s: gated %s', async (_what, rules, gated) => {
    const found = await runRule(gl05, {
      [CI]: `deploy-production:\n  script: [./deploy.sh]\n  rules:\n  ${rules}\n`,
    });
    expect(found.length === 0).toBe(gated);
  });

  it.each([
    ['[main]', true],
    ['[main, tags]', true],
    ['{refs: [master]}', true],
    ['[branches]', false],
    ['[main, /^feature-.*$/]', false],
    ['{variables: [$CI_COMMIT_REF_PROTECTED == "true"]}', true],
  ] as const)('only: %s gated %s', async (only, gated) => {
    const found = await runRule(gl05, {
      [CI]: `deploy-production:\n  script: [./deploy.sh]\n  only: ${only}\n`,
    });
    expect(found.length === 0).toBe(gated);
  });

  it('flags a production job whose environment is not production', async () => {
    const found = await runRule(gl05, {
      [CI]: `
        deploy-prod:
          environment: { name: review/$CI_COMMIT_REF_SLUG }
          script: [./deploy.sh]
      `,
    });
    expect(found.map((f) => at(f))).toEqual(['2:3']);
  });
});

describe('CI-01 gcloud key-file login', () => {
  it('flags a GitLab script line', async () => {
    const found = await runRule(ci01, {
      [CI]: `
        deploy:
          script:
            - echo "$GCP_SA_KEY" > key.json
            - gcloud auth activate-service-account --key-file=key.json
      `,
    });
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([['CI-01', 'critical', '4:7']]);
  });

  it('flags a GitHub run step at its run key', async () => {
    const found = await runRule(ci01, {
      '.github/workflows/gcp.yml': `
        on: push
        jobs:
          push:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  echo "$KEY" > /tmp/key.json
                  gcloud auth activate-service-account deployer@p.iam.gserviceaccount.com --key-file /tmp/key.json
      `,
    });
    expect(found.map((f) => at(f))).toEqual(['6:9']);
  });

  it('accepts gcloud auth login with a WIF credential configuration', async () => {
    const found = await runRule(ci01, {
      [CI]: `
        deploy:
          script: [gcloud auth login --cred-file=$CI_BUILDS_DIR/.gcp_temp_cred.json]
      `,
    });
    expect(found).toEqual([]);
  });
});
