import { describe, expect, it } from 'vitest';
import { getAt } from '../../../src/core/scan/document.ts';
import type { DocPath } from '../../../src/core/scan/document.ts';
import {
  maskHclComments,
  offsetInText,
  splitYamlDocuments,
} from '../../../src/core/scan/positions.ts';
import { probeRule } from './support/probe-rule.ts';
import { scanFiles } from './support/scan-files.ts';

async function positionOf(file: string, text: string, path: DocPath, index = 0): Promise<string> {
  const rule = probeRule((document) =>
    document.index === index && getAt(document.value, path) !== undefined ? [path] : [],
  );
  const result = await scanFiles({ [file]: text }, { rules: [rule] });
  const finding = result.findings.find((item) => item.ruleId === 'TEST-01');
  return finding === undefined ? 'none' : `${finding.line}:${finding.column}`;
}

const deployment = `# leading comment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: example/api:1
          env:
            - name: LOG_LEVEL
              value: info
            - name: VAULT_TOKEN
              value: hvs.example
`;

describe('lazy positions', () => {
  it('points at the offending key deep inside a pod template, not at the object', async () => {
    const path = ['spec', 'template', 'spec', 'containers', 0, 'env', 1, 'value'];
    expect(await positionOf('k8s/api.yaml', deployment, path)).toBe('16:15');
  });

  it('points at a sequence item when the path ends in an index', async () => {
    expect(
      await positionOf('k8s/api.yaml', deployment, [
        'spec',
        'template',
        'spec',
        'containers',
        0,
        'env',
        1,
      ]),
    ).toBe('15:15');
  });

  it('finds the right document of a multi-document stream, after empty documents', async () => {
    const text = `---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n# only a comment\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b\ntype: Opaque\n`;
    expect(await positionOf('all.yaml', text, ['type'], 3)).toBe('13:1');
    expect(await positionOf('all.yaml', text, ['metadata', 'name'], 1)).toBe('5:12');
  });

  it('follows merge keys to the anchored mapping that defines the key', async () => {
    const text = `.defaults: &defaults\n  variables:\n    VAULT_TOKEN: abc\ndeploy:\n  <<: *defaults\n  script: [make]\n`;
    expect(await positionOf('.gitlab-ci.yml', text, ['deploy', 'variables', 'VAULT_TOKEN'])).toBe(
      '3:5',
    );
  });

  it('locates keys in JSON', async () => {
    const text = `{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Condition": {"StringLike": {"x:sub": "*"}}\n    }\n  ]\n}\n`;
    expect(
      await positionOf('trust.json', text, ['Statement', 0, 'Condition', 'StringLike', 'x:sub']),
    ).toBe('6:36');
  });

  it('locates HCL blocks and attributes, never inside a comment', async () => {
    const text = `# resource "aws_iam_role" "deploy" { name = "old" }\nresource "aws_iam_role" "deploy" {\n  name = "deploy"\n  /* assume_role_policy = "x" */\n  assume_role_policy = "{}"\n}\n`;
    expect(
      await positionOf('main.tf', text, [
        'resource',
        'aws_iam_role',
        'deploy',
        0,
        'assume_role_policy',
      ]),
    ).toBe('5:3');
  });

  it('points at the indicator of a block scalar item and at the quote of a quoted one', async () => {
    const text = `deploy:\n  script:\n    - echo start\n    - |\n      vault login\n    - "make deploy"\n`;
    expect(await positionOf('.gitlab-ci.yml', text, ['deploy', 'script', 1])).toBe('4:7');
    expect(await positionOf('.gitlab-ci.yml', text, ['deploy', 'script', 2])).toBe('6:7');
  });

  it('follows an alias to the node its anchor names', async () => {
    const text = `base: &base\n  region: eu-west-1\nuse: *base\n`;
    expect(await positionOf('config.yaml', text, ['use', 'region'])).toBe('2:3');
  });

  it('finds the right document of a CRLF stream, whose markers a line split misses', async () => {
    const text = 'a: 1\r\n---\r\nb: 2\r\na: 3\r\n';
    expect(await positionOf('crlf.yaml', text, ['a'], 1)).toBe('4:1');
  });

  it('picks the n-th repeated HCL block', () => {
    const text = 'statement {\n  actions = ["a"]\n}\nstatement {\n  actions = ["b"]\n}\n';
    expect(offsetInText(maskHclComments(text), ['statement', 1, 'actions'])).toBe(
      text.lastIndexOf('actions'),
    );
  });
});

describe('YAML document splitting', () => {
  it('counts documents the way the loader does', () => {
    expect(splitYamlDocuments('')).toHaveLength(0);
    expect(splitYamlDocuments('# c\n')).toHaveLength(0);
    expect(splitYamlDocuments('a: 1\n')).toHaveLength(1);
    expect(splitYamlDocuments('a: 1\n---\n')).toHaveLength(2);
    expect(splitYamlDocuments('---\n---\na: 1\n---\n# c\n---\n')).toHaveLength(4);
    expect(splitYamlDocuments('--- \na: 1\n...\n---\nb: 2\n')).toHaveLength(2);
    expect(splitYamlDocuments('a: |\n  ---\n  not a marker\n')).toHaveLength(1);
  });
});
