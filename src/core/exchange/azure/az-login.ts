import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { WifError } from '../../errors.ts';
import { redact } from '../../redact.ts';
import type { ToolLogin } from '../target.ts';
import type { AzureTargetConfig } from './config.ts';
import { optionSetting } from '../options.ts';

/** The `az` executable on PATH, or undefined: the CLI is optional and never installed by wif. */
export async function findAzCli(
  env: Readonly<Record<string, string | undefined>>,
): Promise<string | undefined> {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, process.platform === 'win32' ? 'az.cmd' : 'az');
    const ok = await access(candidate, constants.X_OK).then(
      () => true,
      () => false,
    );
    if (ok) return candidate;
  }
  return undefined;
}

function runAz(
  az: string,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  secret: string,
  signal: AbortSignal | undefined,
  fix: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      az,
      args,
      {
        env: { ...env },
        timeout: 120_000,
        maxBuffer: 4 * 1024 * 1024,
        ...(signal === undefined ? {} : { signal }),
      },
      (error, _stdout, stderr) => {
        if (error === null) {
          resolve();
          return;
        }
        // az echoes its arguments in some errors; the federated token is one of them.
        const last =
          redact(stderr, [secret])
            .trim()
            .split('\n')
            .filter((l) => l.trim() !== '')
            .at(-1) ?? error.message;
        reject(
          new WifError(
            'service',
            `az ${args[0] ?? ''} ${args[1] ?? ''} failed: ${redact(last, [secret]).replace(/[.\s]*$/, '.')}`,
            {
              fix,
            },
          ),
        );
      },
    );
  });
}

/**
 * `az login --service-principal --federated-token`, for scripts that insist on the Azure CLI.
 * The CLI accepts a federated token only as an argument (as Azure/login passes it), so it is
 * briefly visible in the process table of this runner; the SDKs and Terraform never need this.
 * The CLI caches the access token it gets, about an hour; it cannot re-read a refreshed file.
 */
export async function azLogin(
  config: AzureTargetConfig,
  token: string,
  ctx: {
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly log: (line: string) => void;
    readonly signal?: AbortSignal | undefined;
    /** Told before `az login` runs: a later step (account set) can fail after it logged in. */
    readonly loginAttempted?: (tool: ToolLogin) => void;
  },
): Promise<boolean> {
  const az = await findAzCli(ctx.env);
  if (az === undefined) {
    ctx.log(
      'az-login: the Azure CLI (az) is not on PATH, so it was not logged in; the SDKs and Terraform use the exported variables.',
    );
    return false;
  }
  if (config.customAuthority) {
    ctx.log(
      `az-login: the Azure CLI only knows registered clouds, not ${config.authorityHost}; skipped.`,
    );
    return false;
  }
  const fix = `Nothing was exported; remove ${optionSetting(config.door, 'az-login', 'true')}, or check the Azure CLI (federated tokens need az 2.30 or later).`;
  await runAz(
    az,
    ['cloud', 'set', '--name', config.cloud.cliCloud, '--output', 'none'],
    ctx.env,
    token,
    ctx.signal,
    fix,
  );
  ctx.loginAttempted?.('az');
  await runAz(
    az,
    [
      'login',
      '--service-principal',
      '--username',
      config.clientId,
      '--tenant',
      config.tenantId,
      '--federated-token',
      token,
      '--output',
      'none',
      ...(config.subscriptionId === undefined ? ['--allow-no-subscriptions'] : []),
    ],
    ctx.env,
    token,
    ctx.signal,
    fix,
  );
  if (config.subscriptionId !== undefined) {
    await runAz(
      az,
      ['account', 'set', '--subscription', config.subscriptionId, '--output', 'none'],
      ctx.env,
      token,
      ctx.signal,
      fix,
    );
  }
  ctx.log(
    `az-login: the Azure CLI is logged in as ${config.clientId}${config.subscriptionId === undefined ? '' : ` (subscription ${config.subscriptionId})`}.`,
  );
  return true;
}

/** The post step's counterpart: forget every account the CLI holds, as Azure/login's cleanup does. */
export async function azLogout(
  env: Readonly<Record<string, string | undefined>>,
  signal?: AbortSignal,
): Promise<boolean> {
  const az = await findAzCli(env);
  if (az === undefined) return false;
  await runAz(
    az,
    ['account', 'clear', '--output', 'none'],
    env,
    '',
    signal,
    'The Azure CLI may still hold the account; run `az account clear`.',
  );
  return true;
}
