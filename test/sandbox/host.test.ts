import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorContext, EmulatorDefinition } from '../../src/sandbox/emulator.ts';
import { emulators } from '../../src/sandbox/emulators.ts';
import { closeServer } from '../../src/sandbox/oidc/issuer.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/host.ts';
import { verifyOidcToken } from '../../src/sandbox/verify-token.ts';

/** A stand-in emulator that records what the host gave it and answers per its fault knobs. */
function recordingEmulator(seen: EmulatorContext[]): EmulatorDefinition {
  return {
    name: 'echo',
    summary: 'records its context',
    async start(context) {
      seen.push(context);
      const server: Server = createServer((_req, res) => {
        const decision = context.faults.decide();
        res.writeHead(decision.kind === 'none' ? 200 : 503).end(decision.kind);
      });
      await new Promise<void>((resolve) => server.listen(context.port, context.host, resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return {
        name: 'echo',
        urls: { echo: url },
        env: { ECHO_URL: url },
        close: () => closeServer(server),
      };
    },
  };
}

function failingEmulator(): EmulatorDefinition {
  return {
    name: 'broken',
    summary: 'fails to start',
    start: () => Promise.reject(new Error('cannot start')),
  };
}

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return false;
  } catch (error) {
    return (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
  }
}

async function control(
  sandbox: Sandbox,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const init: RequestInit = { method };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(`${sandbox.controlUrl}${path}`, init);
  const text = await response.text();
  return {
    status: response.status,
    json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

describe('sandbox host', () => {
  const seen: EmulatorContext[] = [];
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({
      emulators: [recordingEmulator(seen)],
      config: { echo: { greeting: 'hi' }, issuer: { jobs: [{ repository: 'acme/app' }] } },
      faults: [{ emulator: 'echo', settings: { latencyMs: 1 } }],
    });
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it('starts the issuer first and hands each emulator its section, the issuer URL and a 0700 state dir', async () => {
    const context = seen[0]!;
    expect(context.issuerUrl).toBe(sandbox.issuer.url);
    expect(context.config).toEqual({ greeting: 'hi' });
    expect(context.host).toBe('127.0.0.1');
    expect((await stat(context.stateDir)).mode & 0o777).toBe(0o700);
    expect(context.faults.settings.latencyMs).toBe(1);
  });

  it('exports the issuer and emulator variables plus the control URL', () => {
    expect(sandbox.env).toMatchObject({
      WIF_SANDBOX_ISSUER: sandbox.issuer.url,
      WIF_SANDBOX_CONTROL: sandbox.controlUrl,
      ECHO_URL: sandbox.urls.echo?.echo,
    });
    expect(sandbox.env.ACTIONS_ID_TOKEN_REQUEST_URL).toMatch(/\?api-version=2\.0$/);
    expect(sandbox.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN).toBe(sandbox.jobs[0]!.requestToken);
  });

  it('serves the configured first job at ACTIONS_ID_TOKEN_REQUEST_URL', async () => {
    const response = await fetch(`${sandbox.env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=test`, {
      headers: { authorization: `Bearer ${sandbox.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
    });
    const { value } = (await response.json()) as { value: string };
    const verified = await verifyOidcToken(value, { audience: ['test'] });
    expect(verified).toMatchObject({ ok: true, claims: { repository: 'acme/app' } });
  });

  it('lists the emulators with their URLs and fault settings', async () => {
    const { status, json } = await control(sandbox, 'GET', '/emulators');
    expect(status).toBe(200);
    const list = json.emulators as { name: string; faults: { latencyMs: number } }[];
    expect(list.map((e) => e.name)).toEqual(['issuer', 'echo']);
    expect(list[1]!.faults.latencyMs).toBe(1);
  });

  it('sets faults live with PUT and clears them with DELETE', async () => {
    const echo = sandbox.urls.echo!.echo!;
    const put = await control(sandbox, 'PUT', '/faults/echo', { errorRate: 1, remaining: 1 });
    expect(put).toMatchObject({ status: 200, json: { faults: { errorRate: 1, remaining: 1 } } });
    expect((await fetch(echo)).status).toBe(503);
    expect((await fetch(echo)).status).toBe(200); // `remaining: 1` spent

    await control(sandbox, 'PUT', '/faults/echo', { errorRate: 1 });
    expect((await control(sandbox, 'DELETE', '/faults/echo')).status).toBe(204);
    expect((await fetch(echo)).status).toBe(200);
    expect(sandbox.faults.get('echo')!.settings.errorRate).toBe(0);
  });

  it('refuses unknown knobs, out-of-range values and unknown emulators', async () => {
    expect((await control(sandbox, 'PUT', '/faults/echo', { explode: true })).status).toBe(400);
    expect((await control(sandbox, 'PUT', '/faults/echo', { errorRate: 2 })).status).toBe(400);
    expect((await control(sandbox, 'PUT', '/faults/nope', { errorRate: 1 })).status).toBe(404);
    expect((await control(sandbox, 'GET', '/faults/echo')).status).toBe(405);
  });

  it('adds a GitHub job whose endpoint issues tokens until it is completed', async () => {
    const added = await control(sandbox, 'POST', '/github/jobs', { environment: 'prod' });
    expect(added.status).toBe(201);
    const { id, requestUrl, requestToken } = added.json as Record<string, string>;
    const ask = () => fetch(requestUrl!, { headers: { authorization: `Bearer ${requestToken!}` } });
    const { value } = (await (await ask()).json()) as { value: string };
    const verified = await verifyOidcToken(value);
    expect(verified).toMatchObject({
      ok: true,
      claims: { sub: 'repo:octo-org/octo-repo:environment:prod' },
    });

    expect((await control(sandbox, 'POST', `/github/jobs/${id!}/complete`)).status).toBe(204);
    expect((await ask()).status).toBe(400);
  });

  it('refuses a job description with an unknown key', async () => {
    const bad = await control(sandbox, 'POST', '/github/jobs', { repo: 'x/y' });
    expect(bad.status).toBe(400);
    expect(String(bad.json.error)).toMatch(/unknown key "repo"/);
  });

  it.each([
    [
      { profile: { platform: 'gitlab' }, audience: 'https://vault.example.com' },
      /^project_path:mygroup\/myproject:/,
    ],
    [{ profile: { platform: 'kubernetes' }, lifetimeSeconds: 600 }, /^system:serviceaccount:ci:/],
    [{ alg: 'ES256' }, /^repo:octo-org\/octo-repo:ref:refs\/heads\/main$/],
  ])('mints a verifiable token through POST /tokens for %j', async (request, sub) => {
    const { status, json } = await control(sandbox, 'POST', '/tokens', request);
    expect(status).toBe(200);
    const verified = await verifyOidcToken(String(json.token));
    expect(verified.ok).toBe(true);
    if (verified.ok) expect(verified.claims.sub).toMatch(sub);
  });

  it('explains a token request the issuer refuses', async () => {
    const { status, json } = await control(sandbox, 'POST', '/tokens', {
      profile: { platform: 'gitlab' },
    });
    expect(status).toBe(400);
    expect(String(json.error)).toMatch(/needs an audience/);
  });
});

describe('sandbox host lifecycle', () => {
  it('starts every registered emulator by default and closes every one of them', async () => {
    const sandbox = await startSandbox();
    const urls = Object.entries(sandbox.urls).flatMap(([, byRole]) => Object.values(byRole));
    expect(Object.keys(sandbox.urls)).toEqual([...emulators.map((e) => e.name), 'control']);
    await sandbox.close();
    for (const url of urls) expect(await refused(url), url).toBe(true);
  });

  it('leaves no port listening and removes its state dir after close', async () => {
    const seen: EmulatorContext[] = [];
    const sandbox = await startSandbox({ emulators: [recordingEmulator(seen)] });
    const urls = [sandbox.issuer.url, sandbox.controlUrl, sandbox.urls.echo!.echo!];
    for (const url of urls) expect(await refused(url)).toBe(false);
    await sandbox.close();
    for (const url of urls) expect(await refused(url)).toBe(true);
    await expect(stat(seen[0]!.stateDir)).rejects.toThrow(/ENOENT/);
  });

  it('closes the issuer again when a later emulator fails to start', async () => {
    const seen: EmulatorContext[] = [];
    await expect(
      startSandbox({ emulators: [recordingEmulator(seen), failingEmulator()] }),
    ).rejects.toThrow('cannot start');
    expect(await refused(seen[0]!.issuerUrl!)).toBe(true);
  });

  it('refuses a config section or fault for an emulator it does not run', async () => {
    await expect(startSandbox({ emulators: [], config: { nope: {} } })).rejects.toThrow(
      /section "nope"/,
    );
    await expect(
      startSandbox({ emulators: [], faults: [{ emulator: 'nope', settings: { errorRate: 1 } }] }),
    ).rejects.toThrow(/"nope", which is not an emulator/);
  });

  it('refuses an unknown key in the issuer section', async () => {
    await expect(startSandbox({ emulators: [], config: { issuer: { keys: 3 } } })).rejects.toThrow(
      /issuer has an unknown key "keys"/,
    );
  });
});
