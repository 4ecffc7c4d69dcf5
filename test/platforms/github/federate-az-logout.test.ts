import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WifError } from '../../../src/core/errors.ts';
import { azLogin, parseAzureTargetConfig } from '../../../src/core/exchange/azure.ts';
import { ACTION_INPUTS, OptionReader } from '../../../src/core/exchange/options.ts';
import { cleanupFederation, federateOnGitHub } from '../../../src/platforms/github/federate.ts';
import { parseFileCommands } from '../../support/file-commands.ts';

/**
 * The main and post steps every federation action shares (the umbrella and actions/azure),
 * in this process with the real @actions/core and a fake `az` that records its invocations.
 * An Azure target whose `az login` succeeds and whose `az account set` then fails fails the
 * step; the login is recorded before it runs, so the post step still clears the CLI.
 */
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm8vciJ9.c2lnbmF0dXJlLXN0YW5kLWlu';
let job: string;
let calls: string;
const saved = { ...process.env };

beforeAll(() => {
  job = mkdtempSync(join(tmpdir(), 'wif-federate-az-'));
  calls = join(job, 'az-calls');
  writeFileSync(
    join(job, 'az'),
    `#!/bin/sh\necho "$1 $2" >> '${calls}'\ncase "$1" in account) [ "$2" = set ] && { echo "ERROR: subscription not found" >&2; exit 1; };; esac\nexit 0\n`,
  );
  chmodSync(join(job, 'az'), 0o755);
});
afterEach(() => {
  process.env = { ...saved };
  vi.restoreAllMocks();
});
afterAll(() => {
  rmSync(job, { recursive: true, force: true });
});

const config = parseAzureTargetConfig(
  new OptionReader(
    {
      'client-id': '11111111-2222-4333-8444-555555555555',
      'tenant-id': 'contoso.onmicrosoft.com',
      'subscription-id': '5ab5c0de-0000-4000-8000-000000000042',
      'az-login': 'true',
    },
    ACTION_INPUTS,
  ),
);

describe('a federation step whose az login went through but whose az account set failed', () => {
  it('fails, and its post step still runs az account clear', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const state = join(job, 'state');
    writeFileSync(state, '');
    Object.assign(process.env, {
      PATH: `${job}:/usr/bin:/bin`,
      GITHUB_STATE: state,
      RUNNER_TEMP: job,
    });
    const main = federateOnGitHub(
      [
        {
          name: 'azure',
          audience: config.audience,
          refresh: false,
          run: async (ctx) => {
            await azLogin(config, TOKEN, ctx);
            throw new WifError('internal', 'unreachable: account set fails');
          },
        },
      ],
      { wifCommand: ['wif'], timeoutSeconds: 30 },
    );
    await expect(main).rejects.toThrow(/^az account set failed: ERROR: subscription not found/);

    // The runner hands the post step what main saved, as STATE_<name>.
    for (const [name, value] of Object.entries(parseFileCommands(readFileSync(state, 'utf8'))))
      process.env[`STATE_${name}`] = value;
    await cleanupFederation();
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual([
      'cloud set',
      'login --service-principal',
      'account set',
      'account clear',
    ]);
  });
});
