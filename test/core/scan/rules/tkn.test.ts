import { describe, expect, it } from 'vitest';
import { rule as tkn01 } from '../../../../src/core/scan/rules/tkn-01-run-without-service-account.ts';
import { rule as tkn02 } from '../../../../src/core/scan/rules/tkn-02-task-vault-token.ts';
import { rule as tkn04 } from '../../../../src/core/scan/rules/tkn-04-static-credentials.ts';
import { at, runRule } from './support/run-rule.ts';

/** A Task that logs in to Vault with a projected token, as the catalogue prescribes. */
const VAULT_TASK = `
  apiVersion: tekton.dev/v1
  kind: Task
  metadata: { name: fetch-secrets, namespace: ci }
  spec:
    volumes:
      - name: vault-token
        projected:
          sources:
            - serviceAccountToken: { path: token, audience: vault, expirationSeconds: 600 }
    steps:
      - name: login
        image: hashicorp/vault:1.17
        env:
          - { name: VAULT_ADDR, value: "https://vault.vault.svc.cluster.local:8200" }
        script: |
          vault write -field=token auth/kubernetes-prod/login role=ci-runner jwt=@/var/run/secrets/vault/token
        volumeMounts: [{ name: vault-token, mountPath: /var/run/secrets/vault }]
`;

describe('TKN-01 run without a dedicated service account', () => {
  it('flags a PipelineRun without any service account at its spec', async () => {
    const found = await runRule(tkn01, {
      'tekton/run.yaml': `
        apiVersion: tekton.dev/v1
        kind: PipelineRun
        metadata: { generateName: build-, namespace: ci }
        spec:
          pipelineRef: { name: build }
      `,
    });
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([['TKN-01', 'medium', '4:1']]);
  });

  it('flags the default service account in taskRunTemplate', async () => {
    const found = await runRule(tkn01, {
      'tekton/run.yaml': `
        apiVersion: tekton.dev/v1
        kind: PipelineRun
        metadata: { name: build-1, namespace: ci }
        spec:
          pipelineRef: { name: build }
          taskRunTemplate:
            serviceAccountName: default
      `,
    });
    expect(found.map((f) => at(f))).toEqual(['7:5']);
  });

  it('accepts a dedicated service account', async () => {
    const found = await runRule(tkn01, {
      'tekton/run.yaml': `
        apiVersion: tekton.dev/v1
        kind: TaskRun
        metadata: { name: fetch-1, namespace: ci }
        spec:
          taskRef: { name: fetch-secrets }
          serviceAccountName: ci-runner
      `,
    });
    expect(found).toEqual([]);
  });
});

describe('TKN-02 Vault token audience and lifetime in a Task', () => {
  it('accepts the catalogue projection', async () => {
    expect(await runRule(tkn02, { 'tekton/task.yaml': VAULT_TASK })).toEqual([]);
  });

  it('flags a foreign audience and a one-hour lifetime', async () => {
    const found = await runRule(tkn02, {
      'tekton/task.yaml': VAULT_TASK.replace(
        '{ path: token, audience: vault, expirationSeconds: 600 }',
        '{ path: token, audience: kubernetes.default.svc, expirationSeconds: 3600 }',
      ),
    });
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([
      ['TKN-02', 'medium', '9:49'],
      ['TKN-02', 'medium', '9:83'],
    ]);
  });
});

describe('TKN-04 static credentials in Tekton', () => {
  it('flags a step reading AWS keys from a Secret', async () => {
    const found = await runRule(tkn04, {
      'tekton/task.yaml': `
        apiVersion: tekton.dev/v1
        kind: Task
        metadata: { name: upload, namespace: ci }
        spec:
          steps:
            - name: upload
              image: amazon/aws-cli:2.17.0
              env:
                - name: AWS_SECRET_ACCESS_KEY
                  valueFrom:
                    secretKeyRef: { name: aws-ci, key: secret }
              script: aws s3 cp out s3://artifacts/
      `,
    });
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([['TKN-04', 'high', '11:13']]);
  });

  it('flags a workspace bound to a Secret holding a service-account key', async () => {
    const found = await runRule(tkn04, {
      'tekton/run.yaml': `
        apiVersion: tekton.dev/v1
        kind: TaskRun
        metadata: { name: push-1, namespace: ci }
        spec:
          serviceAccountName: ci-runner
          taskRef: { name: push }
          workspaces:
            - name: gcp
              secret: { secretName: gcp-deployer }
      `,
      'tekton/secret.yaml': `
        apiVersion: v1
        kind: Secret
        metadata: { name: gcp-deployer, namespace: ci }
        type: Opaque
        data:
          key.json: eyJ0eXBlIjogInNlcnZpY2VfYWNjb3VudCJ9
      `,
    });
    expect(found.map((f) => [f.rule, at(f)])).toEqual([['TKN-04', '9:17']]);
  });

  it('accepts a Task that only projects a token', async () => {
    expect(await runRule(tkn04, { 'tekton/task.yaml': VAULT_TASK })).toEqual([]);
  });
});
