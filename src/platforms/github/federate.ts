import * as core from '@actions/core';
import { join } from 'node:path';
import type { CredentialSet } from '../../core/credentials/credential-set.ts';
import { SecretDirectory } from '../../core/credentials/secret-files.ts';
import { prefixOutputs } from '../../core/credentials/several-targets.ts';
import { WifError } from '../../core/errors.ts';
import { runTargets, type RunnableTarget } from '../../core/exchange/run-targets.ts';
import type { TargetContext, ToolLogin } from '../../core/exchange/target.ts';
import { refreshOnce, refreshTargets, tokenFileName } from '../../core/refresh/refresher.ts';
import { azLogout } from '../../core/exchange/azure/az-login.ts';
import { obtainToken } from '../../core/token/obtain.ts';
import { spawnRefresher, stopRefresher } from '../refresher-process.ts';
import { cleanupGitHubExport } from './cleanup.ts';
import { githubTokenSource } from './id-token-source.ts';
import { maskOnce } from './masker.ts';
import { exportToGitHub, runnerTemp } from './sink.ts';

/** One configured target of a step: its name, its audience, and how to run it. */
export type GitHubTarget = RunnableTarget;

const REFRESHER_STATE = 'wif-refresher';
/** Set before a tool's login runs, so the post step logs it out even if main then failed. */
const LOGIN_STATE: Readonly<Record<ToolLogin, string>> = { az: 'wif-az-login' };

/**
 * Runs every target of a step concurrently against one GitHub token source, starts the
 * refresher first when any target asks for refresh mode, and exports all results at once —
 * or nothing at all when any target fails (no half-configured job).
 */
export async function federateOnGitHub(
  targets: readonly GitHubTarget[],
  options: {
    readonly wifCommand: readonly string[];
    readonly timeoutSeconds: number;
    /** Name outputs `<target>-<output>` so several targets of one step keep theirs apart. */
    readonly prefixOutputs?: boolean;
    /** The action entry's `import.meta.url`: several targets run in worker threads beside it. */
    readonly entryUrl?: string;
  },
): Promise<readonly CredentialSet[]> {
  // Before anything is requested or logged: a value known from the inputs is masked first.
  for (const target of targets) for (const value of target.masks ?? []) maskOnce(value);
  const source = githubTokenSource(process.env);
  const deadline = AbortSignal.timeout(options.timeoutSeconds * 1000);
  const refreshAudiences = targets.filter((t) => t.refresh).map((t) => t.audience);
  let refreshDir: SecretDirectory | undefined;
  let refresherPid: number | undefined;

  try {
    if (refreshAudiences.length > 0) {
      refreshDir = await SecretDirectory.create(runnerTemp(), 'wif-refresh-');
      await refreshOnce(source, refreshDir, refreshTargets(refreshAudiences), deadline);
      refresherPid = spawnRefresher({
        wifCommand: options.wifCommand,
        dir: refreshDir.path,
        audiences: refreshAudiences,
        source: { kind: 'github' },
        maxLifetimeSeconds: 6 * 3600,
        env: process.env,
      });
      core.saveState(REFRESHER_STATE, JSON.stringify({ pid: refresherPid, dir: refreshDir.path }));
      core.info(
        `wif: refresher started (pid ${refresherPid}) for ${refreshAudiences.length} audience(s).`,
      );
    }
    const dir = refreshDir?.path;
    const ctx: TargetContext = {
      env: process.env,
      token: (audience) =>
        obtainToken(source, { audience, deadlineMs: options.timeoutSeconds * 1000 }),
      signal: deadline,
      log: (line) => {
        core.info(`wif: ${line}`);
      },
      refreshTokenFile: (audience) =>
        dir !== undefined && refreshAudiences.includes(audience)
          ? join(dir, tokenFileName(audience))
          : undefined,
      wifCommand: options.wifCommand,
      loginAttempted: (tool) => {
        core.saveState(LOGIN_STATE[tool], 'true');
      },
    };
    const settled = await runTargets(targets, ctx, {
      entryUrl: options.entryUrl,
      debug: (line) => {
        core.debug(`wif: ${line}`);
      },
    });
    const failures = settled.flatMap((s, i) =>
      s.status === 'rejected'
        ? [{ name: targets[i]?.name ?? String(i), error: s.reason as unknown }]
        : [],
    );
    const first = failures[0];
    if (first !== undefined) {
      if (failures.length === 1 && targets.length === 1) throw first.error;
      const described = failures.map(
        (f) => `${f.name}: ${f.error instanceof WifError ? f.error.oneLine() : String(f.error)}`,
      );
      throw new WifError(
        first.error instanceof WifError ? first.error.code : 'internal',
        `${failures.length} of ${targets.length} targets failed — ${described.join(' | ')}`,
      );
    }
    const results = settled.map((s) => (s as PromiseFulfilledResult<CredentialSet>).value);
    const sets = options.prefixOutputs === true ? results.map(prefixOutputs) : results;
    // The sink refuses two targets that would set the same variable before writing anything.
    await exportToGitHub(sets);
    return sets;
  } catch (error) {
    if (refresherPid !== undefined) stopRefresher(refresherPid);
    await refreshDir?.remove();
    throw error;
  }
}

/**
 * The post step of every federation action: stop the refresher, remove files, blank variables,
 * and clear the Azure CLI's accounts when main attempted `az login` (whether or not it then
 * succeeded), as Azure/login's cleanup does.
 */
export async function cleanupFederation(): Promise<void> {
  const raw = core.getState(REFRESHER_STATE);
  if (raw !== '') {
    try {
      const { pid, dir } = JSON.parse(raw) as { pid?: unknown; dir?: unknown };
      if (typeof pid === 'number')
        core.info(
          stopRefresher(pid)
            ? `wif: refresher (pid ${pid}) stopped.`
            : `wif: refresher (pid ${pid}) was not running.`,
        );
      if (typeof dir === 'string' && /\/wif-refresh-[^/]+$/.test(dir))
        await SecretDirectory.adopt(dir).remove();
    } catch {
      core.warning('wif: the refresher state was unreadable; nothing was stopped.');
    }
  }
  await cleanupGitHubExport();
  if (core.getState(LOGIN_STATE.az) === 'true' && (await azLogout(process.env)))
    core.info('wif: cleared the Azure CLI accounts (az account clear).');
}
