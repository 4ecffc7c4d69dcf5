import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandIo } from '../../../src/cli/command.ts';
import { command, runSandbox, shellQuote } from '../../../src/cli/commands/sandbox.ts';
import { issuerEmulator } from '../../../src/sandbox/oidc/emulator.ts';
import { verifyOidcToken } from '../../../src/sandbox/verify-token.ts';

interface FakeIo extends CommandIo {
  out: string[];
  err: string[];
  stop: () => void;
}

function fakeIo(env: Record<string, string> = {}, cwd = process.cwd()): FakeIo {
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stop,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env,
    cwd,
    stopped,
    readStdin: () => Promise.resolve(''),
  };
}

/** Waits (bounded) until the command has printed its export lines. */
async function printed(io: FakeIo): Promise<Record<string, string>> {
  for (let i = 0; i < 200 && io.out.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
  const env: Record<string, string> = {};
  for (const line of io.out.join('').split('\n').filter(Boolean)) {
    const match = /^export ([A-Z_][A-Z0-9_]*)='(.*)'$/.exec(line);
    expect(match, line).not.toBeNull();
    env[match![1]!] = match![2]!.replaceAll(`'\\''`, "'");
  }
  return env;
}

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return false;
  } catch (error) {
    return (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wif-sandbox-cmd-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('wif sandbox', () => {
  it('prints export lines, writes a 0600 env file, serves tokens, and stops on the signal leaving no port', async () => {
    const io = fakeIo({}, dir);
    const done = runSandbox(['--write-env', 'sandbox.env'], io, [issuerEmulator]);
    const env = await printed(io);
    expect(Object.keys(env)).toEqual(
      expect.arrayContaining([
        'ACTIONS_ID_TOKEN_REQUEST_URL',
        'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
        'WIF_SANDBOX_ISSUER',
        'WIF_SANDBOX_CONTROL',
      ]),
    );
    const envFile = join(dir, 'sandbox.env');
    expect((await stat(envFile)).mode & 0o777).toBe(0o600);
    expect(await readFile(envFile, 'utf8')).toBe(io.out.join(''));

    const tokenIo = fakeIo({ WIF_SANDBOX_CONTROL: env.WIF_SANDBOX_CONTROL! });
    expect(
      await command.run(['token', '--audience', 'sts.amazonaws.com', '--lifetime', '20'], tokenIo),
    ).toBe(0);
    const token = tokenIo.out.join('').trim();
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      aud: 'sts.amazonaws.com',
      sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
    });
    expect(claims.exp! - claims.iat!).toBe(20);
    expect(await verifyOidcToken(token)).toMatchObject({ ok: true });

    const gitlabIo = fakeIo({ WIF_SANDBOX_CONTROL: env.WIF_SANDBOX_CONTROL! });
    await command.run(
      [
        'token',
        '--platform',
        'gitlab',
        '--audience',
        'https://vault.example.com',
        '--issuer',
        `${env.WIF_SANDBOX_ISSUER!}/gitlab`,
      ],
      gitlabIo,
    );
    const gitlab = await verifyOidcToken(gitlabIo.out.join('').trim(), {
      trustedIssuers: [`${env.WIF_SANDBOX_ISSUER!}/gitlab`],
      audience: ['https://vault.example.com'],
    });
    expect(gitlab).toMatchObject({ ok: true, claims: { project_path: 'mygroup/myproject' } });

    io.stop();
    expect(await done).toBe(0);
    expect(await refused(env.WIF_SANDBOX_ISSUER!)).toBe(true);
    expect(await refused(env.WIF_SANDBOX_CONTROL!)).toBe(true);
    await expect(stat(envFile)).rejects.toThrow(/ENOENT/);
    expect(io.err.join('')).toMatch(/stopped/);
  });

  it('applies --fault flags and --port placement', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const base = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) =>
      probe.close(() => {
        resolve();
      }),
    );

    const io = fakeIo();
    const done = runSandbox(
      ['--port', String(base), '--fault', 'issuer:errorRate=1,errorCode=503'],
      io,
      [issuerEmulator],
    );
    const env = await printed(io);
    try {
      expect(env.WIF_SANDBOX_CONTROL).toBe(`http://127.0.0.1:${base}`);
      expect(env.WIF_SANDBOX_ISSUER).toBe(`http://127.0.0.1:${base + 1}`);
      expect(
        (await fetch(`${env.WIF_SANDBOX_ISSUER!}/.well-known/openid-configuration`)).status,
      ).toBe(503);
    } finally {
      io.stop();
      await done;
    }
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--fault', 'issuer:explode=1'], /unknown knob "explode"/],
    [['--fault', 'nobody:errorRate=1'], /"nobody", which is not an emulator/],
    [['--port', '70000'], /--port must leave room/],
    [['--config', 'absent.yaml'], /cannot be read \(ENOENT\)/],
  ])('refuses %j with a usage error', async (argv, message) => {
    await expect(runSandbox(argv, fakeIo({}, dir), [issuerEmulator])).rejects.toMatchObject({
      code: 'usage',
      message: expect.stringMatching(message) as unknown,
    });
  });
});

describe('wif sandbox token', () => {
  it('says how to find the sandbox when WIF_SANDBOX_CONTROL is unset', async () => {
    await expect(command.run(['token'], fakeIo())).rejects.toThrow(
      /WIF_SANDBOX_CONTROL is not set/,
    );
  });

  it('never sends a request to a control URL off loopback', async () => {
    await expect(
      command.run(['token', '--control', 'http://example.com:80'], fakeIo()),
    ).rejects.toThrow(/is not http:\/\/127\.0\.0\.1/);
  });

  it('refuses an unknown platform', async () => {
    await expect(
      command.run(['token', '--platform', 'jenkins', '--control', 'http://127.0.0.1:1'], fakeIo()),
    ).rejects.toThrow(/--platform must be one of github, gitlab, kubernetes/);
  });

  it('reports a sandbox that is not running as a network error', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) =>
      probe.close(() => {
        resolve();
      }),
    );
    await expect(
      command.run(['token', '--control', `http://127.0.0.1:${port}`], fakeIo()),
    ).rejects.toMatchObject({
      code: 'network',
    });
  });
});

describe('shell quoting of export values', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it'\\''s'"],
    ['$HOME `x` "y"', `'$HOME \`x\` "y"'`],
  ])('quotes %j as %s', (value, quoted) => {
    expect(shellQuote(value)).toBe(quoted);
  });
});
