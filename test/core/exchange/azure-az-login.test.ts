import {
  appendFileSync,
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWifError } from '../../../src/core/errors.ts';
import { azLogin, azLogout, parseAzureTargetConfig } from '../../../src/core/exchange/azure.ts';
import { CLI_FLAGS, OptionReader } from '../../../src/core/exchange/options.ts';

/**
 * az-login drives whatever `az` is first on PATH; here a stand-in script that records its
 * arguments (or fails the way the CLI does, echoing its arguments), so the exact command lines
 * and the scrubbing of the federated token are checked without the Azure CLI installed.
 */
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm8vciJ9.c2lnbmF0dXJlLXN0YW5kLWlu';
let dir: string;
let count = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wif-fake-az-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A directory holding a fake `az`; returns the env to find it and the file its calls go to. */
function fakeAz(body: string): { env: Record<string, string>; calls: string } {
  const bin = join(dir, `bin-${++count}`);
  mkdirSync(bin);
  const calls = join(bin, 'calls');
  writeFileSync(join(bin, 'az'), `#!/bin/sh\necho "$@" >> '${calls}'\n${body}\n`);
  chmodSync(join(bin, 'az'), 0o755);
  return { env: { PATH: `${bin}:/usr/bin:/bin` }, calls };
}

function config(raw: Record<string, string> = {}) {
  return parseAzureTargetConfig(
    new OptionReader(
      {
        'client-id': '11111111-2222-4333-8444-555555555555',
        'tenant-id': 'contoso.onmicrosoft.com',
        'az-login': 'true',
        ...raw,
      },
      CLI_FLAGS,
    ),
  );
}

describe('az-login', () => {
  it('selects the cloud, logs in with the federated token, and selects the subscription', async () => {
    const az = fakeAz('exit 0');
    const lines: string[] = [];
    const done = await azLogin(
      config({
        environment: 'azureusgovernment',
        'subscription-id': '5ab5c0de-0000-4000-8000-000000000042',
      }),
      TOKEN,
      { env: az.env, log: (l) => lines.push(l) },
    );
    expect(done).toBe(true);
    expect(readFileSync(az.calls, 'utf8').trim().split('\n')).toEqual([
      'cloud set --name AzureUSGovernment --output none',
      `login --service-principal --username 11111111-2222-4333-8444-555555555555 --tenant contoso.onmicrosoft.com --federated-token ${TOKEN} --output none`,
      'account set --subscription 5ab5c0de-0000-4000-8000-000000000042 --output none',
    ]);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('allows a login without subscriptions when none is given', async () => {
    const az = fakeAz('exit 0');
    await azLogin(config(), TOKEN, { env: az.env, log: () => undefined });
    expect(readFileSync(az.calls, 'utf8')).toContain('--allow-no-subscriptions');
  });

  it('says in one line that az is missing, and does not fail', async () => {
    const lines: string[] = [];
    expect(
      await azLogin(config(), TOKEN, {
        env: { PATH: join(dir, 'nowhere') },
        log: (l) => lines.push(l),
      }),
    ).toBe(false);
    expect(lines).toEqual([
      'az-login: the Azure CLI (az) is not on PATH, so it was not logged in; the SDKs and Terraform use the exported variables.',
    ]);
  });

  it('reports a failed login in one line without the token the CLI echoed', async () => {
    const az = fakeAz(
      `case "$1" in login) echo "ERROR: AADSTS700213: bad assertion $8" >&2; exit 1;; esac`,
    );
    const error: unknown = await azLogin(config(), TOKEN, {
      env: az.env,
      log: () => undefined,
    }).catch((e: unknown) => e);
    expect(isWifError(error)).toBe(true);
    const line = (error as Error & { oneLine(): string }).oneLine();
    expect(line).toMatch(
      /^az login --service-principal failed: ERROR: AADSTS700213: bad assertion \*\*\*\. /,
    );
    expect(line).not.toContain(TOKEN);
    // The CLI's syntax: the test's options come through CLI flags.
    expect(line).toMatch(/Nothing was exported; remove --az-login, or check the Azure CLI/);
  });

  it('says a login is attempted before az login runs, so a failed account set is still logged out', async () => {
    const az = fakeAz(
      `case "$1" in account) echo "ERROR: subscription not found" >&2; exit 1;; esac`,
    );
    const error: unknown = await azLogin(
      config({ 'subscription-id': '5ab5c0de-0000-4000-8000-000000000042' }),
      TOKEN,
      {
        env: az.env,
        log: () => undefined,
        loginAttempted: (tool) => {
          appendFileSync(az.calls, `(wif notes a ${tool} login)\n`);
        },
      },
    ).catch((e: unknown) => e);
    expect(isWifError(error)).toBe(true);
    expect(
      readFileSync(az.calls, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' ').slice(0, 2).join(' ')),
    ).toEqual(['cloud set', '(wif notes', 'login --service-principal', 'account set']);
  });

  it('the cleanup clears the CLI accounts', async () => {
    const az = fakeAz('exit 0');
    expect(await azLogout(az.env)).toBe(true);
    expect(readFileSync(az.calls, 'utf8').trim()).toBe('account clear --output none');
  });
});
