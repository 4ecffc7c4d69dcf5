import { describe, expect, it } from 'vitest';
import { rule as gha02 } from '../../../../src/core/scan/rules/gha-02-gcp-service-account-key.ts';
import { rule as gha03 } from '../../../../src/core/scan/rules/gha-03-azure-client-secret.ts';
import { rule as gha04 } from '../../../../src/core/scan/rules/gha-04-vault-static-login.ts';
import { rule as gha05 } from '../../../../src/core/scan/rules/gha-05-oidc-without-id-token.ts';
import { rule as gha06 } from '../../../../src/core/scan/rules/gha-06-broad-token-permissions.ts';
import { rule as gha07 } from '../../../../src/core/scan/rules/gha-07-prod-role-without-environment.ts';
import { rule as gha08 } from '../../../../src/core/scan/rules/gha-08-credentials-on-untrusted-trigger.ts';
import { rule as gha09 } from '../../../../src/core/scan/rules/gha-09-vault-action-mount.ts';
import { rule as gha10 } from '../../../../src/core/scan/rules/gha-10-unpinned-action-with-credentials.ts';
import { rule as gha11 } from '../../../../src/core/scan/rules/gha-11-self-hosted-without-attestation.ts';
import type { Rule } from '../../../../src/core/scan/rule.ts';
import { at, runRule } from './support/run-rule.ts';

const WORKFLOW = '.github/workflows/deploy.yml';

function scanWorkflow(rule: Rule, text: string) {
  return runRule(rule, { [WORKFLOW]: text });
}

/** A compliant OIDC deploy workflow: every GHA rule must stay silent on it. */
const COMPLIANT = `
  on:
    push:
      branches: [main]
  permissions:
    contents: read
  jobs:
    deploy:
      runs-on: ubuntu-24.04
      environment: production
      permissions:
        contents: read
        id-token: write
      steps:
        - uses: actions/checkout@v4
        - name: AWS
          uses: aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502
          with:
            role-to-assume: arn:aws:iam::111122223333:role/deploy-prod
            aws-region: eu-west-1
        - name: GCP
          uses: google-github-actions/auth@6fc4af4b145ae7821d527454aa9bd537d1f2dc5f
          with:
            workload_identity_provider: projects/123/locations/global/workloadIdentityPools/ci/providers/github
        - name: Azure
          uses: azure/login@a457da9ea143d694b1b9c7c869ebb04ebe844ef5
          with:
            client-id: 00000000-0000-0000-0000-000000000001
            tenant-id: 00000000-0000-0000-0000-000000000002
            subscription-id: 00000000-0000-0000-0000-000000000003
        - name: Vault
          uses: hashicorp/vault-action@4c06c5ccf5c0761b6029f56cfb1dcf5565918a3b
          with:
            url: https://vault.example.com
            method: jwt
            path: github-actions
            role: payments-deploy
            secrets: secret/data/ns/payments/db password | DB_PASSWORD
`;

describe('GitHub workflow rules on a compliant OIDC workflow', () => {
  it.each([gha02, gha03, gha04, gha05, gha06, gha07, gha08, gha09, gha10, gha11])(
    '$meta.id reports nothing',
    async (rule) => {
      expect(await scanWorkflow(rule, COMPLIANT)).toEqual([]);
    },
  );
});

describe('GHA-02 GCP service-account key', () => {
  it('flags credentials_json on google-github-actions/auth at the input key', async () => {
    const found = await scanWorkflow(
      gha02,
      `
      on: push
      permissions: { contents: read }
      jobs:
        build:
          runs-on: ubuntu-latest
          steps:
            - uses: google-github-actions/auth@v2
              with:
                credentials_json: \${{ secrets.GCP_SA_KEY }}
      `,
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: 'GHA-02', severity: 'critical', object: 'build' });
    expect(at(found[0])).toBe('9:11');
  });

  it('flags the legacy setup-gcloud service_account_key input', async () => {
    const found = await scanWorkflow(
      gha02,
      `
      on: push
      jobs:
        build:
          runs-on: ubuntu-latest
          steps:
            - uses: google-github-actions/setup-gcloud@v0
              with:
                service_account_key: \${{ secrets.GCP_KEY }}
      `,
    );
    expect(found.map((f) => at(f))).toEqual(['8:11']);
  });
});

describe('GHA-03 Azure client secret', () => {
  it('flags azure/login creds and ARM_CLIENT_SECRET from a secret', async () => {
    const found = await scanWorkflow(
      gha03,
      `
      on: push
      jobs:
        infra:
          runs-on: ubuntu-latest
          env:
            ARM_CLIENT_SECRET: \${{ secrets.ARM_CLIENT_SECRET }}
          steps:
            - uses: azure/login@v2
              with:
                creds: \${{ secrets.AZURE_CREDENTIALS }}
      `,
    );
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([
      ['GHA-03', 'critical', '10:11'],
      ['GHA-03', 'critical', '6:7'],
    ]);
  });

  it('accepts an AZURE_CLIENT_SECRET derived from an earlier step output', async () => {
    const found = await scanWorkflow(
      gha03,
      `
      on: push
      jobs:
        infra:
          runs-on: ubuntu-latest
          env:
            AZURE_CLIENT_SECRET: \${{ steps.exchange.outputs.secret }}
          steps:
            - run: terraform plan
      `,
    );
    expect(found).toEqual([]);
  });
});

describe('GHA-04 Vault login with a stored secret', () => {
  it('flags vault-action without a method (token) and VAULT_TOKEN from secrets', async () => {
    const found = await scanWorkflow(
      gha04,
      `
      on: push
      env:
        VAULT_TOKEN: \${{ secrets.VAULT_TOKEN }}
      jobs:
        read:
          runs-on: ubuntu-latest
          steps:
            - uses: hashicorp/vault-action@v3
              with:
                url: https://vault.example.com
                token: \${{ secrets.VAULT_TOKEN }}
      `,
    );
    expect(found.map((f) => [f.severity, at(f)])).toEqual([
      ['high', '11:11'],
      ['high', '3:3'],
    ]);
  });

  it('flags approle on GitHub-hosted runners but not on self-hosted ones', async () => {
    const workflow = (runsOn: string) => `
      on: push
      jobs:
        read:
          runs-on: ${runsOn}
          steps:
            - uses: hashicorp/vault-action@v3
              with:
                method: approle
                roleId: \${{ secrets.ROLE_ID }}
                secretId: \${{ secrets.SECRET_ID }}
    `;
    const hosted = await scanWorkflow(gha04, workflow('ubuntu-latest'));
    expect(hosted.map((f) => at(f))).toEqual(['8:11']);
    expect(await scanWorkflow(gha04, workflow('[self-hosted, linux]'))).toEqual([]);
  });
});

describe('GHA-05 OIDC step without id-token: write', () => {
  it('points at the job permissions that lack id-token', async () => {
    const found = await scanWorkflow(
      gha05,
      `
      on: push
      jobs:
        deploy:
          runs-on: ubuntu-latest
          permissions:
            contents: read
          steps:
            - uses: aws-actions/configure-aws-credentials@v4
              with:
                role-to-assume: arn:aws:iam::111122223333:role/ci
                aws-region: eu-west-1
      `,
    );
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([['GHA-05', 'medium', '5:5']]);
  });

  it('points at the step when no permissions block exists at all', async () => {
    const found = await scanWorkflow(
      gha05,
      `
      on: push
      jobs:
        deploy:
          runs-on: ubuntu-latest
          steps:
            - uses: Example/wif/actions/aws@v1
      `,
    );
    expect(found.map((f) => at(f))).toEqual(['6:9']);
  });

  it('accepts a workflow-level id-token grant inherited by the job', async () => {
    const found = await scanWorkflow(
      gha05,
      `
      on: push
      permissions:
        id-token: write
        contents: read
      jobs:
        deploy:
          runs-on: ubuntu-latest
          steps:
            - uses: hashicorp/vault-action@v3
              with: { method: jwt, path: github-actions, role: ci }
      `,
    );
    expect(found).toEqual([]);
  });
});

describe('GHA-06 broad token permissions', () => {
  it('flags write-all and a missing permissions block', async () => {
    const writeAll = await scanWorkflow(
      gha06,
      `
      on: push
      permissions: write-all
      jobs:
        build: { runs-on: ubuntu-latest, steps: [{ run: make }] }
      `,
    );
    expect(writeAll.map((f) => [f.severity, at(f)])).toEqual([['medium', '2:1']]);
    const none = await scanWorkflow(
      gha06,
      `
      on: push
      jobs:
        build: { runs-on: ubuntu-latest, steps: [{ run: make }] }
      `,
    );
    expect(none.map((f) => [f.severity, at(f)])).toEqual([['medium', '2:1']]);
    expect(none[0]!.message).toContain('build');
  });

  it('rates a workflow-wide id-token grant low when only one job needs it', async () => {
    const found = await scanWorkflow(
      gha06,
      `
      on: push
      permissions:
        contents: read
        id-token: write
      jobs:
        test:
          runs-on: ubuntu-latest
          steps: [{ run: make test }]
        deploy:
          runs-on: ubuntu-latest
          steps:
            - uses: aws-actions/configure-aws-credentials@v4
              with: { role-to-assume: arn:aws:iam::111122223333:role/ci, aws-region: eu-west-1 }
      `,
    );
    expect(found.map((f) => [f.severity, at(f)])).toEqual([['low', '4:3']]);
    expect(found[0]!.message).toContain('test');
  });
});

describe('GHA-05 and GHA-06 on reusable workflows (on: workflow_call)', () => {
  const CALLED = '.github/workflows/deploy-aws.yml';
  /** A reusable workflow that exchanges an OIDC token and leaves permissions to its caller. */
  const reusableDeploy = `
    on:
      workflow_call:
        inputs:
          environment: { type: string, required: true }
    jobs:
      deploy:
        runs-on: ubuntu-24.04
        steps:
          - uses: aws-actions/configure-aws-credentials@v4
            with: { role-to-assume: arn:aws:iam::111122223333:role/ci, aws-region: eu-west-1 }
    `;
  const caller = (permissions: string): string => `
    on: push
    permissions:
      contents: read
    jobs:
      deploy:
        ${permissions}
        uses: ./.github/workflows/deploy-aws.yml
        with: { environment: production }
    `;

  it('does not blame a reusable workflow for permissions only its caller grants', async () => {
    expect(await runRule(gha05, { [CALLED]: reusableDeploy })).toEqual([]);
    expect(await runRule(gha06, { [CALLED]: reusableDeploy })).toEqual([]);
  });

  it('flags the caller whose job does not grant id-token: write to the called workflow', async () => {
    const found = await runRule(gha05, {
      [WORKFLOW]: caller('permissions: { contents: read }'),
      [CALLED]: reusableDeploy,
    });
    expect(found.map((f) => [f.file, f.object, at(f)])).toEqual([[WORKFLOW, 'deploy', '6:5']]);
    expect(found[0]!.message).toContain('./.github/workflows/deploy-aws.yml');
  });

  it('accepts a caller that grants id-token: write on the calling job', async () => {
    const found = await runRule(gha05, {
      [WORKFLOW]: caller('permissions: { contents: read, id-token: write }'),
      [CALLED]: reusableDeploy,
    });
    expect(found).toEqual([]);
  });

  it('still flags a reusable workflow whose own permissions withhold id-token', async () => {
    const found = await runRule(gha05, {
      [CALLED]: `
        on: workflow_call
        permissions: { contents: read }
        jobs:
          deploy:
            runs-on: ubuntu-24.04
            steps:
              - uses: Example/wif/actions/aws@v1
        `,
    });
    expect(found.map((f) => at(f))).toEqual(['2:1']);
  });

  it('still judges a workflow that has other triggers besides workflow_call', async () => {
    const found = await runRule(gha06, {
      [CALLED]: `
        on: [workflow_call, workflow_dispatch]
        jobs:
          build: { runs-on: ubuntu-latest, steps: [{ run: make }] }
        `,
    });
    expect(found.map((f) => at(f))).toEqual(['2:1']);
  });

  it('counts a caller of an OIDC reusable workflow as needing a workflow-wide id-token grant', async () => {
    const found = await runRule(gha06, {
      [WORKFLOW]: `
        on: push
        permissions: { contents: read, id-token: write }
        jobs:
          test:
            runs-on: ubuntu-latest
            steps: [{ run: make test }]
          deploy:
            uses: ./.github/workflows/deploy-aws.yml
        `,
      [CALLED]: reusableDeploy,
    });
    expect(found.map((f) => [f.file, f.severity, at(f)])).toEqual([[WORKFLOW, 'low', '2:32']]);
    expect(found[0]!.message).toContain('test never');
    expect(found[0]!.message).not.toContain('deploy');
  });
});

describe('GHA-07 production identity without environment', () => {
  it('flags a prod role assumed by a job with no environment', async () => {
    const found = await scanWorkflow(
      gha07,
      `
      on: push
      jobs:
        deploy:
          runs-on: ubuntu-latest
          permissions: { id-token: write }
          steps:
            - uses: aws-actions/configure-aws-credentials@v4
              with:
                aws-region: eu-west-1
                role-to-assume: arn:aws:iam::111122223333:role/deploy-prod
      `,
    );
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([['GHA-07', 'medium', '10:11']]);
  });

  it('accepts a staging role without environment', async () => {
    const found = await scanWorkflow(
      gha07,
      `
      on: push
      jobs:
        deploy:
          runs-on: ubuntu-latest
          permissions: { id-token: write }
          steps:
            - uses: aws-actions/configure-aws-credentials@v4
              with: { role-to-assume: arn:aws:iam::111122223333:role/deploy-staging, aws-region: eu-west-1 }
      `,
    );
    expect(found).toEqual([]);
  });
});

describe('GHA-08 credentials on an untrusted trigger', () => {
  it('flags id-token: write in a pull_request_target workflow', async () => {
    const found = await scanWorkflow(
      gha08,
      `
      on:
        pull_request_target:
          types: [opened, synchronize]
      permissions:
        contents: read
        id-token: write
      jobs:
        preview:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
              with: { ref: '\${{ github.event.pull_request.head.sha }}' }
      `,
    );
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([['GHA-08', 'high', '6:3']]);
  });

  it('flags a Dependabot-only job that obtains credentials', async () => {
    const found = await scanWorkflow(
      gha08,
      `
      on: pull_request
      jobs:
        automerge:
          if: github.actor == 'dependabot[bot]'
          runs-on: ubuntu-latest
          steps:
            - uses: aws-actions/configure-aws-credentials@v4
              with: { aws-access-key-id: '\${{ secrets.KEY }}', aws-secret-access-key: '\${{ secrets.SECRET }}' }
      `,
    );
    expect(found.map((f) => at(f))).toEqual(['4:5']);
  });

  it('accepts a pull_request_target job with read-only permissions and no credential step', async () => {
    const found = await scanWorkflow(
      gha08,
      `
      on: pull_request_target
      permissions: { contents: read, pull-requests: write }
      jobs:
        label:
          runs-on: ubuntu-latest
          steps: [{ uses: actions/labeler@v5 }]
      `,
    );
    expect(found).toEqual([]);
  });
});

describe('GHA-08: stored secrets and Dependabot conditions', () => {
  it('flags a stored secret in a pull_request_target job that runs the pull request head', async () => {
    const found = await scanWorkflow(
      gha08,
      `
      on: pull_request_target
      jobs:
        test:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
              with: { ref: '\${{ github.event.pull_request.head.sha }}' }
            - run: make integration
              env: { VAULT_TOKEN: "\${{ secrets['VAULT_TOKEN'] }}" }
      `,
    );
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([['GHA-08', 'high', '9:16']]);
  });

  it('accepts stored secrets on pull_request_target without the head checkout, and GITHUB_TOKEN', async () => {
    const found = await scanWorkflow(
      gha08,
      `
      on: pull_request_target
      jobs:
        triage:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/labeler@v5
              with: { repo-token: '\${{ secrets.BOT_TOKEN }}' }
        test:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
              with: { ref: '\${{ github.head_ref }}' }
            - run: gh pr comment --body ok
              env: { GH_TOKEN: '\${{ secrets.GITHUB_TOKEN }}' }
      `,
    );
    expect(found).toEqual([]);
  });

  it.each([
    ["github.actor == 'dependabot[bot]'"],
    ["'dependabot[bot]' == github.actor"],
    ["github.triggering_actor == 'dependabot[bot]'"],
  ])('flags a credential step guarded by %s', async (condition) => {
    const found = await scanWorkflow(
      gha08,
      `
      on: pull_request
      jobs:
        deps:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
            - if: ${JSON.stringify(condition)}
              run: ./publish.sh
              env: { NPM_TOKEN: '\${{ secrets.NPM_TOKEN }}' }
      `,
    );
    expect(found.map((f) => at(f))).toEqual(['7:9']);
  });

  it('accepts a Dependabot-guarded step that gets no credential', async () => {
    const found = await scanWorkflow(
      gha08,
      `
      on: pull_request
      jobs:
        deps:
          runs-on: ubuntu-latest
          steps:
            - if: github.actor == 'dependabot[bot]'
              run: echo "dependency update"
      `,
    );
    expect(found).toEqual([]);
  });
});

describe('GHA-09 vault-action mount and role', () => {
  it('flags the default jwt mount and a missing role', async () => {
    const found = await scanWorkflow(
      gha09,
      `
      on: push
      jobs:
        read:
          runs-on: ubuntu-latest
          permissions: { id-token: write }
          steps:
            - uses: hashicorp/vault-action@v3
              with:
                url: https://vault.example.com
                method: jwt
      `,
    );
    expect(found.map((f) => [f.severity, at(f)])).toEqual([
      ['low', '10:11'],
      ['low', '10:11'],
    ]);
    expect(found.map((f) => f.message)).toEqual([
      expect.stringContaining('default `jwt` mount'),
      expect.stringContaining('no `role`'),
    ]);
  });

  it('flags a mount that is not the GitHub JWT mount', async () => {
    const found = await scanWorkflow(
      gha09,
      `
      on: push
      jobs:
        read:
          runs-on: ubuntu-latest
          steps:
            - uses: hashicorp/vault-action@v3
              with: { method: jwt, path: gitlab, role: ci }
      `,
    );
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain('"gitlab"');
  });
});

describe('GHA-10 unpinned third-party action', () => {
  it('flags a tag-pinned third-party action in a job with id-token: write', async () => {
    const found = await scanWorkflow(
      gha10,
      `
      on: push
      jobs:
        deploy:
          runs-on: ubuntu-latest
          permissions: { id-token: write }
          steps:
            - uses: actions/checkout@v4
            - uses: some-vendor/deploy-action@v1.2.0
      `,
    );
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([['GHA-10', 'medium', '8:9']]);
  });

  it('ignores unpinned actions in jobs without credentials', async () => {
    const found = await scanWorkflow(
      gha10,
      `
      on: push
      permissions: { contents: read }
      jobs:
        lint:
          runs-on: ubuntu-latest
          steps: [{ uses: some-vendor/lint-action@main }]
      `,
    );
    expect(found).toEqual([]);
  });
});

describe('GHA-11 self-hosted runner without attestation', () => {
  const job = (extraStep: string) => `
    on: push
    jobs:
      deploy:
        runs-on: [self-hosted, linux, prod]
        permissions: { id-token: write }
        steps:${extraStep}
          - uses: aws-actions/configure-aws-credentials@v4
            with: { role-to-assume: arn:aws:iam::111122223333:role/ci, aws-region: eu-west-1 }
  `;

  it('flags a credential-bearing job on a self-hosted runner', async () => {
    const found = await scanWorkflow(gha11, job(''));
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([['GHA-11', 'low', '4:5']]);
  });

  it('accepts the job once it runs the TPM attestation step', async () => {
    const found = await scanWorkflow(
      gha11,
      job('\n          - run: wif tpm-attest --out evidence.json'),
    );
    expect(found).toEqual([]);
  });
});
