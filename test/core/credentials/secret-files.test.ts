import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyExport, type SinkPort } from '../../../src/core/credentials/apply.ts';
import type { CredentialSet } from '../../../src/core/credentials/credential-set.ts';
import {
  SecretDirectory,
  writeFileAtomically,
} from '../../../src/core/credentials/secret-files.ts';
import { WifError } from '../../../src/core/errors.ts';
import { redact } from '../../../src/core/redact.ts';

const root = mkdtempSync(join(tmpdir(), 'wif-secret-files-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('credential files', () => {
  it('live in a fresh 0700 directory, each file 0600', async () => {
    const dir = await SecretDirectory.create(root);
    const path = await dir.write('token', 'secret-value');
    expect(statSync(dir.path).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe('secret-value');
  });

  it('are replaced atomically, leaving no temporary file behind', async () => {
    const dir = await SecretDirectory.create(root);
    await dir.write('token', 'one');
    const path = await dir.write('token', 'two');
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(readdirSync(dir.path)).toEqual(['token']);
  });

  it('replace a planted symlink instead of writing through it', async () => {
    const dir = await SecretDirectory.create(root);
    const victim = join(root, 'victim');
    writeFileSync(victim, 'untouched');
    symlinkSync(victim, join(dir.path, 'token'));
    await dir.write('token', 'secret');
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    expect(lstatSync(join(dir.path, 'token')).isSymbolicLink()).toBe(false);
  });

  it('refuse a parent directory that is a symlink', async () => {
    const real = join(root, 'real');
    mkdirSync(real);
    symlinkSync(real, join(root, 'link'));
    await expect(SecretDirectory.create(join(root, 'link'))).rejects.toThrow(/symbolic link/);
  });

  it('refuse file names that are paths', async () => {
    const dir = await SecretDirectory.create(root);
    await expect(dir.write('../escape', 'x')).rejects.toBeInstanceOf(WifError);
    await expect(dir.write('a/b', 'x')).rejects.toBeInstanceOf(WifError);
  });
});

function recordingPort(): SinkPort & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    mask: (s) => events.push(`mask ${s}`),
    setEnv: (n, v) => events.push(`env ${n}=${v}`),
    setOutput: (n, v) => events.push(`output ${n}=${v}`),
  };
}

const set: CredentialSet = {
  target: 'token',
  label: 'OIDC token',
  values: [{ name: 'token', value: 'tok-SECRET', secret: true }],
  plan: {
    env: [{ name: 'AWS_ROLE_ARN', value: 'arn:aws:iam::1:role/x', secret: false }],
    outputs: [{ name: 'subject', value: 'repo:o/r:ref:refs/heads/main', secret: false }],
    files: [
      {
        fileName: 'oidc-token',
        content: 'tok-SECRET',
        secret: true,
        pathEnv: ['AWS_WEB_IDENTITY_TOKEN_FILE'],
        pathOutputs: ['token-file'],
      },
    ],
  },
};

describe('a file written atomically (wif sandbox --write-env)', () => {
  it('appears whole, 0600, under any name, with no temporary file left', async () => {
    const dir = mkdtempSync(join(root, 'atomic-'));
    const path = join(dir, '.sandbox.env');
    await writeFileAtomically(path, 'export A=1\n');
    await writeFileAtomically(path, 'export A=2\n');
    expect(readFileSync(path, 'utf8')).toBe('export A=2\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['.sandbox.env']);
  });

  it('replaces a planted symlink and leaves its target untouched', async () => {
    const dir = mkdtempSync(join(root, 'atomic-'));
    const victim = join(root, 'atomic-victim');
    writeFileSync(victim, 'untouched');
    symlinkSync(victim, join(dir, 'env'));
    await writeFileAtomically(join(dir, 'env'), 'export A=1\n');
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    expect(lstatSync(join(dir, 'env')).isSymbolicLink()).toBe(false);
  });

  it('fails as one io error naming the path, in a directory that does not exist', async () => {
    const path = join(root, 'missing-dir', 'env');
    await expect(writeFileAtomically(path, 'x')).rejects.toThrow(
      `Could not write ${path}: ENOENT.`,
    );
  });
});

describe('applying an export plan', () => {
  it('masks every secret before anything else is written', async () => {
    const port = recordingPort();
    const applied = await applyExport([set], port, () => SecretDirectory.create(root));
    expect(port.events[0]).toBe('mask tok-SECRET');
    expect(port.events.filter((e) => e.startsWith('mask'))).toHaveLength(1);
    expect(applied.files).toHaveLength(1);
    expect(port.events).toContain(`env AWS_WEB_IDENTITY_TOKEN_FILE=${applied.files[0]!}`);
    expect(port.events).toContain(`output token-file=${applied.files[0]!}`);
  });

  it('exports nothing and leaves no directory when a file cannot be written', async () => {
    const port = recordingPort();
    const bad: CredentialSet = {
      ...set,
      plan: {
        ...set.plan,
        files: [...set.plan.files, { ...set.plan.files[0]!, fileName: '../x' }],
      },
    };
    let created: string | undefined;
    await expect(
      applyExport([bad], port, async () => {
        const d = await SecretDirectory.create(root);
        created = d.path;
        return d;
      }),
    ).rejects.toBeInstanceOf(WifError);
    expect(port.events.filter((e) => !e.startsWith('mask'))).toEqual([]);
    expect(() => statSync(created!)).toThrow();
  });
});

describe('redaction of text that may reach a log', () => {
  it('removes JWTs, bearer tokens, AWS secrets and registered values', () => {
    const text =
      'failed: token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl Authorization: Bearer abcdefgh12345678 <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCY</SecretAccessKey> custom-secret';
    const out = redact(text, ['custom-secret']);
    expect(out).not.toMatch(/eyJ|abcdefgh|wJalr|custom-secret/);
  });
});
