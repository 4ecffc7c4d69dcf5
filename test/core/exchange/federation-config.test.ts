import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { WifError } from '../../../src/core/errors.ts';
import {
  federationConfigSchema,
  parseFederationConfig,
} from '../../../src/core/exchange/federation-config.ts';
import { node24, repoRoot } from '../../support/paths.ts';

const good = `version: 1
source: gitlab:WIF_ID_TOKEN
targets:
  prod:
    type: aws
    role-arn: arn:aws:iam::123456789012:role/deploy
    region: eu-west-1
    allowed-account-ids: [123456789012]
`;

function lineOf(text: string): string {
  try {
    parseFederationConfig(text, 'wif.yaml', {});
  } catch (error) {
    return (error as WifError).oneLine();
  }
  throw new Error('accepted');
}

describe('the shared wif.yaml', () => {
  it('prepares each target with the options of its type', () => {
    const config = parseFederationConfig(good, 'wif.yaml', {});
    expect(config.source).toBe('gitlab:WIF_ID_TOKEN');
    expect(config.targets.map((t) => [t.name, t.type, t.audience])).toEqual([
      ['prod', 'aws', 'sts.amazonaws.com'],
    ]);
  });

  it.each([
    ['version: 2\ntargets: {}', /"version" must be 1/],
    ['version: 1\ntargets:\n  prod: { type: vault }', /targets.prod.type must be one of aws/],
    [
      'version: 1\ntargets:\n  prod: { type: aws, role-arn: arn:aws:iam::123456789012:role/x, region: us-east-1, rol-duration: 5 }',
      /unknown option "rol-duration" for type aws/,
    ],
    [
      'version: 1\ntargets:\n  prod: { type: aws, role-arn: nope, region: us-east-1 }',
      /targets.prod.role-arn "nope" is not an IAM role ARN/,
    ],
    ['version: 1\ntargets:\n  Prod: { type: aws }', /target names are lower-case/],
    ['version: 1\nextra: x\ntargets: {}', /unknown key "extra"/],
    ['version: 1\ntargets: [', /not valid YAML/],
    ['version: 1\nversion: 1\ntargets: {}', /not valid YAML: duplicated mapping key/],
    ['version: 1\ntargets: {}\n---\nversion: 1\n', /holds 2 YAML documents/],
    ['# nothing here\n', /must be a mapping/],
    [
      `version: 1\na: &a [x, x]\n${Array.from({ length: 60 }, (_, i) => `b${i}: [*a, *a]`).join('\n')}\ntargets: {}`,
      /not valid YAML/,
    ],
  ])('rejects %j with one line', (text, line) => {
    expect(lineOf(text)).toMatch(line);
  });

  it('is described by the published JSON Schema, which accepts the example and rejects typos', () => {
    const ajv = new Ajv2020.default({ strict: false });
    const validate = ajv.compile(federationConfigSchema());
    expect(validate(parseYaml(good))).toBe(true);
    expect(validate(parseYaml(good.replace('region:', 'regon:')))).toBe(false);
  });

  it('docs/wif-config.schema.json is generated from the option lists and up to date', () => {
    expect(() =>
      execFileSync(node24, [join(repoRoot, 'scripts/gen-config-schema.ts'), '--check'], {
        stdio: 'pipe',
      }),
    ).not.toThrow();
  });
});
