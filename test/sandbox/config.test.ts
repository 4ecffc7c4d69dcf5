import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultConfigText,
  loadSandboxConfig,
  parseSandboxConfig,
} from '../../src/sandbox/config.ts';
import { readIssuerConfig } from '../../src/sandbox/oidc/emulator.ts';

const known = ['issuer', 'aws-sts'];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wif-config-test-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sandbox config file', () => {
  it('embeds a default that configures the default GitHub job', async () => {
    const config = await loadSandboxConfig(undefined, known);
    const issuer = readIssuerConfig(config.issuer);
    expect(issuer.jobs[0]).toMatchObject({
      repository: 'octo-org/octo-repo',
      repositoryOwnerId: '65',
    });
    expect(defaultConfigText).toContain('octocat');
  });

  it('reads YAML and JSON alike', () => {
    expect(parseSandboxConfig('aws-sts:\n  region: us-east-1\n', 'a.yaml', known)).toEqual({
      'aws-sts': { region: 'us-east-1' },
    });
    expect(parseSandboxConfig('{"issuer": {"jobs": []}}', 'a.json', known)).toEqual({
      issuer: { jobs: [] },
    });
  });

  it('treats an empty file as all defaults', () => {
    expect(parseSandboxConfig('', 'empty.yaml', known)).toEqual({});
  });

  it('names an unknown section and the emulators that exist, in one line', () => {
    expect(() => parseSandboxConfig('aws:\n  x: 1\n', 'my.yaml', known)).toThrow(
      'my.yaml has an unknown section "aws" (emulators: issuer, aws-sts).',
    );
  });

  it('reports broken YAML with its line, and a duplicate key', () => {
    expect(() => parseSandboxConfig('issuer:\n  jobs: [\n', 'bad.yaml', known)).toThrow(
      /bad\.yaml:\d+ is not valid YAML/,
    );
    expect(() => parseSandboxConfig('issuer: {}\nissuer: {}\n', 'dup.yaml', known)).toThrow(
      /not valid YAML/,
    );
  });

  it('refuses a top level that is not a mapping', () => {
    expect(() => parseSandboxConfig('- issuer\n', 'list.yaml', known)).toThrow(/must be a mapping/);
  });

  it('loads a file from disk and says so when it is missing', async () => {
    const path = join(dir, 'sandbox.yaml');
    await writeFile(
      path,
      'issuer:\n  jobs:\n    - repository: acme/app\n      environment: prod\n',
    );
    const config = await loadSandboxConfig(path, known);
    expect(readIssuerConfig(config.issuer).jobs).toEqual([
      { repository: 'acme/app', environment: 'prod' },
    ]);
    await expect(loadSandboxConfig(join(dir, 'absent.yaml'), known)).rejects.toThrow(
      /cannot be read \(ENOENT\)/,
    );
  });

  it('checks the issuer section: unknown job keys and mistyped IDs are one-line errors', () => {
    expect(() => readIssuerConfig({ jobs: [{ repo: 'x/y' }] })).toThrow(
      'issuer.jobs[0] has an unknown key "repo"',
    );
    expect(() => readIssuerConfig({ jobs: [{ repositoryId: 74 }] })).toThrow(
      /repositoryId must be a string \(quote numeric IDs\)/,
    );
    expect(() => readIssuerConfig({ jobs: 'all' })).toThrow(/must be a list/);
  });
});
