/**
 * Tags a tool defines for itself do not stop a file from being checked: GitLab CI's
 * `!reference`, CloudFormation's `!Sub`, `!Ref` and `!GetAtt`, anything else local. Each reads
 * as the plain value it tags, and findings after such a node are still located exactly.
 */
import { describe, expect, it } from 'vitest';
import { isGitlabReference } from '../../../src/core/scan/document.ts';
import { parseYaml } from '../../../src/core/scan/loader/parse.ts';
import { rule as gl03 } from '../../../src/core/scan/rules/gl-03-static-cloud-credentials.ts';
import { rule as legacyToken } from '../../../src/core/scan/rules/k8s-01-legacy-sa-token-secret.ts';
import { gitlabJobs, scriptLines } from '../../../src/core/scan/rules/support/gitlab-ci.ts';
import { at, runRule } from './rules/support/run-rule.ts';
import { locations, scanFiles } from './support/scan-files.ts';

describe('YAML with application tags', () => {
  it('reads CloudFormation short forms as the scalar, sequence or mapping they tag', () => {
    const outcome = parseYaml(
      [
        'Name: !Sub "${AWS::StackName}-logs"',
        'Bucket: !Ref LogBucket',
        'Arn: !GetAtt Role.Arn',
        'Joined: !Join [":", [a, b]]',
        'Mapped: !Custom {key: 1, nested: !Ref X}',
        '',
      ].join('\n'),
    );
    expect(outcome).toEqual({
      ok: true,
      values: [
        {
          Name: '${AWS::StackName}-logs',
          Bucket: 'LogBucket',
          Arn: 'Role.Arn',
          Joined: [':', ['a', 'b']],
          Mapped: { key: 1, nested: 'X' },
        },
      ],
    });
  });

  it('keeps a GitLab !reference as its sequence, marked as a reference', () => {
    const outcome = parseYaml('job:\n  script:\n    - !reference [.setup, script]\n    - make\n');
    expect(outcome.ok).toBe(true);
    const script = outcome.ok
      ? (outcome.values[0] as { job: { script: unknown[] } }).job.script
      : [];
    expect(script).toEqual([['.setup', 'script'], 'make']);
    expect(isGitlabReference(script[0])).toBe(true);
    expect(isGitlabReference(['.setup', 'script'])).toBe(false);
  });

  it('still refuses a standard tag whose value does not fit it', () => {
    const outcome = parseYaml('port: !!int eighty\n');
    expect(outcome.ok).toBe(false);
  });

  it('checks a GitLab CI file that uses !reference, at the right lines', async () => {
    const found = await runRule(gl03, {
      '.gitlab-ci.yml': `
        .setup:
          script:
            - echo setup
        deploy:
          script:
            - !reference [.setup, script]
            - aws s3 ls
          variables:
            AWS_SECRET_ACCESS_KEY: $PROD_AWS_SECRET
      `,
    });
    expect(found.map((f) => [f.rule, at(f)])).toEqual([['GL-03', '9:5']]);
  });

  it('does not read the names inside a !reference as script lines', () => {
    const outcome = parseYaml(
      'deploy:\n  script:\n    - !reference [.setup, script]\n    - make\n',
    );
    const [job] = gitlabJobs(outcome.ok ? outcome.values[0] : undefined);
    expect(job === undefined ? [] : scriptLines(job)).toEqual([
      { path: ['deploy', 'script', 1], line: 'make' },
    ]);
  });

  it('checks Kubernetes manifests in a stream that also holds a tagged document', async () => {
    const result = await scanFiles(
      {
        'mixed.yaml': `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "\${AWS::StackName}-logs"
---
apiVersion: v1
kind: Secret
metadata: {name: legacy, annotations: {note: !Sub "x"}}
type: kubernetes.io/service-account-token
`,
      },
      { rules: [legacyToken] },
    );
    expect(result.findings.map((f) => f.ruleId)).toEqual(['K8S-01']);
    expect(locations(result, 'K8S-01')).toEqual(['mixed.yaml:11:1']);
  });
});
