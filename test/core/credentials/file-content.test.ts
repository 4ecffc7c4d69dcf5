import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CredentialSet, PlannedFile } from '../../../src/core/credentials/credential-set.ts';
import { fileContentIn } from '../../../src/core/credentials/file-content.ts';
import { workspaceGuard } from '../../../src/core/credentials/workspace.ts';

const root = mkdtempSync(join(tmpdir(), 'wif-file-content-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const guard = workspaceGuard('GCP credentials', { GITHUB_WORKSPACE: join(root, 'checkout') });
const json: PlannedFile = {
  fileName: 'gcp-credentials.json',
  content: `${JSON.stringify({ credential_source: { file: '<dir>/gcp-subject-token' } })}\n`,
  directoryPlaceholder: '<dir>',
  outsideWorkspace: guard,
  secret: false,
  pathEnv: ['GOOGLE_APPLICATION_CREDENTIALS'],
  pathOutputs: ['credentials_file_path'],
};

describe('a planned file that names its credential directory', () => {
  it('gets the directory in place of the placeholder', () => {
    expect(JSON.parse(fileContentIn(json, '/runner/temp/wif-abc'))).toEqual({
      credential_source: { file: '/runner/temp/wif-abc/gcp-subject-token' },
    });
  });

  it('stays valid JSON for a directory with quotes, backslashes and dollar signs', () => {
    const directory = '/tmp/a "b" \\c $& $1';
    const document = JSON.parse(fileContentIn(json, directory)) as {
      credential_source: { file: string };
    };
    expect(document.credential_source.file).toBe(`${directory}/gcp-subject-token`);
  });

  it('is refused inside the workspace, also through a symbolic link', () => {
    mkdirSync(join(root, 'checkout', 'tmp'), { recursive: true });
    symlinkSync(join(root, 'checkout', 'tmp'), join(root, 'outside-link'));
    expect(() => fileContentIn(json, join(root, 'checkout', 'tmp'))).toThrow(
      /^Refusing to write GCP credentials to .*: it is inside the workspace \(GITHUB_WORKSPACE\)/,
    );
    expect(() => fileContentIn(json, join(root, 'outside-link'))).toThrow(
      /inside the workspace \(GITHUB_WORKSPACE\)/,
    );
    expect(fileContentIn(json, join(root, 'elsewhere'))).toContain('elsewhere');
  });

  it('without a placeholder is written as planned', () => {
    const { directoryPlaceholder: _, ...rest } = json;
    const plain: PlannedFile = { ...rest, content: 'x<dir>' };
    expect(fileContentIn(plain, '/runner/temp/wif-abc')).toBe('x<dir>');
  });
});

describe('a credential set', () => {
  it('survives a structured clone (the way it comes back from a worker thread) unchanged', () => {
    const set: CredentialSet = {
      target: 'gcp',
      label: 'GCP service account deployer@proj.iam.gserviceaccount.com',
      values: [
        {
          name: 'access-token',
          value: 'ya29.x',
          secret: true,
          expiresAt: new Date(1_900_000_000_000),
        },
        { name: 'subject-token', value: 'eyJ.x.y', secret: true, expiresAt: undefined },
      ],
      plan: {
        env: [{ name: 'GOOGLE_CLOUD_PROJECT', value: 'proj', secret: false }],
        outputs: [{ name: 'access_token', value: 'ya29.x', secret: true }],
        files: [json],
      },
    };
    const copy = structuredClone(set);
    expect(copy).toEqual(set);
    expect(copy.values[0]?.expiresAt).toBeInstanceOf(Date);
    expect(fileContentIn(copy.plan.files[0]!, '/runner/temp/wif-abc')).toBe(
      fileContentIn(json, '/runner/temp/wif-abc'),
    );
  });
});
