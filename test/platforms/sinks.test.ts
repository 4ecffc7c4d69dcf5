import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CredentialSet } from '../../src/core/credentials/credential-set.ts';
import { WifError } from '../../src/core/errors.ts';
import { exportToCli } from '../../src/platforms/cli/sink.ts';
import { exportToGitLab } from '../../src/platforms/gitlab/sink.ts';
import { exportToTekton } from '../../src/platforms/tekton/sink.ts';

const root = mkdtempSync(join(tmpdir(), 'wif-sinks-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const SECRET = "s3cr3t-with-'quote'-and-$dollar";
const set: CredentialSet = {
  target: 'aws',
  label: 'AWS session for arn:aws:iam::111122223333:role/ci',
  values: [
    {
      name: 'secret-access-key',
      value: SECRET,
      secret: true,
      expiresAt: new Date('2030-01-01T00:00:00Z'),
    },
  ],
  plan: {
    env: [
      { name: 'AWS_ACCESS_KEY_ID', value: 'ASIATESTKEY000000001', secret: false },
      { name: 'AWS_SECRET_ACCESS_KEY', value: SECRET, secret: true },
    ],
    outputs: [{ name: 'aws-account-id', value: '111122223333', secret: false }],
    files: [
      {
        fileName: 'token',
        content: SECRET,
        secret: true,
        pathEnv: ['AWS_WEB_IDENTITY_TOKEN_FILE'],
        pathOutputs: ['token-file'],
      },
    ],
  },
};

function sourced(envFile: string, variable: string): string {
  return execFileSync('/bin/sh', ['-c', `. "$1" && printf %s "$${variable}"`, 'sh', envFile], {
    encoding: 'utf8',
  });
}

describe('GitLab sink', () => {
  it('writes a 0600 env file outside the project that a shell can source, values intact', async () => {
    const projectDir = join(root, 'project');
    mkdirSync(projectDir);
    const applied = await exportToGitLab([set], {
      CI_PROJECT_DIR: projectDir,
      TMPDIR: join(root, 'gl-tmp'),
    });
    expect(statSync(applied.envFile).mode & 0o777).toBe(0o600);
    expect(applied.envFile.startsWith(projectDir)).toBe(false);
    expect(sourced(applied.envFile, 'AWS_SECRET_ACCESS_KEY')).toBe(SECRET);
    expect(sourced(applied.envFile, 'WIF_AWS_ACCOUNT_ID')).toBe('111122223333');
    expect(readFileSync(sourced(applied.envFile, 'AWS_WEB_IDENTITY_TOKEN_FILE'), 'utf8')).toBe(
      SECRET,
    );
    expect(readdirSync(projectDir)).toEqual([]);
  });

  it('refuses a directory inside the project, where artifacts are collected', async () => {
    const projectDir = join(root, 'project2');
    mkdirSync(projectDir);
    await expect(
      exportToGitLab([set], { CI_PROJECT_DIR: projectDir }, { parentDir: join(projectDir, 'out') }),
    ).rejects.toThrow(
      /^Refusing to write credentials to .*\/project2\/out: it is inside the workspace \(CI_PROJECT_DIR\), where they could be committed or uploaded as an artifact\.$/,
    );
    expect(readdirSync(projectDir)).toEqual([]);
  });

  it('refuses a directory that leads into the project through a symbolic link, or TMPDIR there', async () => {
    const projectDir = join(root, 'project3');
    mkdirSync(join(projectDir, 'tmp'), { recursive: true });
    const link = join(root, 'looks-outside');
    symlinkSync(join(projectDir, 'tmp'), link);
    await expect(
      exportToGitLab([set], { CI_PROJECT_DIR: projectDir }, { parentDir: link }),
    ).rejects.toThrow(/inside the workspace \(CI_PROJECT_DIR\)/);
    await expect(
      exportToGitLab([set], { CI_PROJECT_DIR: projectDir, TMPDIR: join(projectDir, 'tmp') }),
    ).rejects.toThrow(/inside the workspace \(CI_PROJECT_DIR\)/);
    expect(readdirSync(join(projectDir, 'tmp'))).toEqual([]);
  });
});

describe('Tekton sink', () => {
  it('writes only non-secret values as results and credentials as workspace files', async () => {
    const results = join(root, 'results');
    const workspace = join(root, 'workspace');
    mkdirSync(results);
    mkdirSync(workspace);
    const applied = await exportToTekton([set], { resultsDir: results, workspaceDir: workspace });
    expect(readdirSync(results).sort()).toEqual(['aws-account-id', 'token-file']);
    for (const name of readdirSync(results))
      expect(readFileSync(join(results, name), 'utf8')).not.toContain(SECRET);
    expect(
      applied.files.every((f) => f.startsWith(workspace) && (statSync(f).mode & 0o777) === 0o600),
    ).toBe(true);
  });

  it('refuses to make a secret a result', async () => {
    const leaky: CredentialSet = {
      ...set,
      plan: { ...set.plan, outputs: [{ name: 'token', value: SECRET, secret: true }] },
    };
    await expect(
      exportToTekton([leaky], { resultsDir: root, workspaceDir: root }),
    ).rejects.toBeInstanceOf(WifError);
  });
});

describe('CLI sink', () => {
  it('prints export lines a shell can eval', async () => {
    let out = '';
    await exportToCli([set], { format: 'shell', outputDir: root, write: (t) => (out += t) });
    const value = execFileSync(
      '/bin/sh',
      ['-c', `eval "$1"; printf %s "$AWS_SECRET_ACCESS_KEY"`, 'sh', out],
      { encoding: 'utf8' },
    );
    expect(value).toBe(SECRET);
  });

  it('prints JSON with expiry, variables and file paths', async () => {
    let out = '';
    await exportToCli([set], { format: 'json', outputDir: root, write: (t) => (out += t) });
    const doc = JSON.parse(out) as {
      credentials: { expiresAt: string }[];
      env: Record<string, string>;
      files: string[];
    };
    expect(doc.credentials[0]!.expiresAt).toBe('2030-01-01T00:00:00.000Z');
    expect(doc.env['AWS_ACCESS_KEY_ID']).toBe('ASIATESTKEY000000001');
    expect(doc.files).toHaveLength(1);
  });

  it('writes an env file and prints only its path', async () => {
    let out = '';
    await exportToCli([set], { format: 'env-file', outputDir: root, write: (t) => (out += t) });
    expect(out).not.toContain(SECRET);
    expect(statSync(out.trim()).mode & 0o777).toBe(0o600);
  });
});

describe('every sink, given two targets that would set the same variable', () => {
  const staging: CredentialSet = { ...set, target: 'staging' };
  const clash = /^Targets "aws" and "staging" would both set AWS_ACCESS_KEY_ID\.$/;

  it.each(['shell', 'json', 'env-file'] as const)(
    'the CLI (%s) refuses before printing or writing anything',
    async (format) => {
      const out = join(root, `clash-cli-${format}`);
      mkdirSync(out);
      let printed = '';
      await expect(
        exportToCli([set, staging], { format, outputDir: out, write: (t) => (printed += t) }),
      ).rejects.toThrow(clash);
      expect(printed).toBe('');
      expect(readdirSync(out)).toEqual([]);
    },
  );

  it('GitLab refuses before writing anything', async () => {
    const parent = join(root, 'clash-gitlab');
    mkdirSync(parent);
    await expect(
      exportToGitLab(
        [set, staging],
        { CI_PROJECT_DIR: join(root, 'project') },
        { parentDir: parent },
      ),
    ).rejects.toThrow(clash);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('Tekton refuses before writing a result or a file', async () => {
    const results = join(root, 'clash-results');
    const workspace = join(root, 'clash-workspace');
    mkdirSync(results);
    mkdirSync(workspace);
    await expect(
      exportToTekton([set, staging], { resultsDir: results, workspaceDir: workspace }),
    ).rejects.toThrow(clash);
    expect([...readdirSync(results), ...readdirSync(workspace)]).toEqual([]);
  });

  it("the CLI also refuses an output that prints as another target's variable", async () => {
    // Export lines name outputs WIF_<OUTPUT>, so the output aws-id and a variable WIF_AWS_ID meet.
    const named = (target: string, plan: Partial<CredentialSet['plan']>): CredentialSet => ({
      target,
      label: target,
      values: [],
      plan: { env: [], outputs: [], files: [], ...plan },
    });
    const sets = [
      named('a', { outputs: [{ name: 'aws-id', value: 'a', secret: false }] }),
      named('b', { env: [{ name: 'WIF_AWS_ID', value: 'b', secret: false }] }),
    ];
    await expect(
      exportToCli(sets, { format: 'shell', outputDir: root, write: () => undefined }),
    ).rejects.toThrow(/^Targets "a" and "b" would both set WIF_AWS_ID\.$/);
    // The JSON document keeps outputs and variables apart, so there they do not meet.
    await exportToCli(sets, { format: 'json', outputDir: root, write: () => undefined });
  });
});
