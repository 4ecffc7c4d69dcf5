import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialSet } from '../../src/core/credentials/credential-set.ts';
import { WifError } from '../../src/core/errors.ts';
import type { RunnableTarget } from '../../src/core/exchange/run-targets.ts';
import type { CommandIo } from '../../src/cli/command.ts';
import { federateOnCli } from '../../src/cli/federation.ts';

/**
 * `wif federate` and `wif azure` have no post step, and `az account clear` would also forget
 * the accounts of whoever runs wif on a workstation; so after an attempted `az login` the CLI
 * leaves the Azure CLI as it is and says so, whether the run succeeded or failed.
 */
let dir: string;
let calls: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wif-cli-az-'));
  calls = join(dir, 'calls');
  writeFileSync(join(dir, 'az'), `#!/bin/sh\necho "$@" >> '${calls}'\n`);
  chmodSync(join(dir, 'az'), 0o755);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const NOTE =
  'wif: the Azure CLI stays logged in after wif exits; run `az account clear` when the job is done with it.\n';

const set: CredentialSet = {
  target: 'infra',
  label: 'Entra ID token',
  values: [],
  plan: { env: [{ name: 'AZURE_CLIENT_ID', value: 'x', secret: false }], outputs: [], files: [] },
};

function azureTarget(then: () => Promise<CredentialSet>): RunnableTarget {
  return {
    name: 'infra',
    audience: 'api://AzureADTokenExchange',
    refresh: false,
    run: async (ctx) => {
      ctx.loginAttempted('az');
      return then();
    },
  };
}

async function federate(target: RunnableTarget): Promise<{ stderr: string; error: unknown }> {
  let stderr = '';
  const io: CommandIo = {
    stdout: () => undefined,
    stderr: (text) => (stderr += text),
    env: { PATH: `${dir}:/usr/bin:/bin` },
    cwd: dir,
    stopped: new Promise(() => undefined),
    readStdin: () => Promise.resolve(''),
  };
  const options = {
    source: 'env:WIF_ID_TOKEN',
    format: 'json',
    outputDir: dir,
    timeoutSeconds: 30,
    prefixOutputs: true,
  } as const;
  const error = await federateOnCli([target], options, io, ['wif']).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { stderr, error };
}

describe('the CLI after an attempted az login', () => {
  it('says the Azure CLI stays logged in, and does not log it out', async () => {
    const { stderr, error } = await federate(azureTarget(() => Promise.resolve(set)));
    expect(error).toBeUndefined();
    expect(stderr).toContain(NOTE);
    expect(existsSync(calls)).toBe(false);
  });

  it('says so too when the target then fails', async () => {
    const failure = new WifError('service', 'az account set failed: ERROR: not found.');
    const { stderr, error } = await federate(azureTarget(() => Promise.reject(failure)));
    expect(error).toBe(failure);
    expect(stderr).toContain(NOTE);
    expect(existsSync(calls)).toBe(false);
  });
});
