import * as core from '@actions/core';
import { join } from 'node:path';
import type { CredentialSet } from '../../core/credentials/credential-set.ts';
import { SecretDirectory } from '../../core/credentials/secret-files.ts';
import { WifError } from '../../core/errors.ts';
import { runTargets, type RunnableTarget } from '../../core/exchange/run-targets.ts';
import type { TargetContext } from '../../core/exchange/target.ts';
import { refreshOnce, refreshTargets, tokenFileName } from '../../core/refresh/refresher.ts';
import { obtainToken } from '../../core/token/obtain.ts';
import { spawnRefresher, stopRefresher } from '../refresher-process.ts';
import { cleanupGitHubExport } from './cleanup.ts';
import { githubTokenSource } from './id-token-source.ts';
import { exportToGitHub, runnerTemp } from './sink.ts';

/** One configured target of a step: its name, its audience, and how to run it. */
export type GitHubTarget = RunnableTarget;

const REFRESHER_STATE = 'wif-refresher';

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
    checkNoClash(sets);
    await exportToGitHub(sets);
    return sets;
  } catch (error) {
    if (refresherPid !== undefined) stopRefresher(refresherPid);
    await refreshDir?.remove();
    throw error;
  }
}

function prefixOutputs(set: CredentialSet): CredentialSet {
  return {
    ...set,
    plan: {
      ...set.plan,
      outputs: set.plan.outputs.map((o) => ({ ...o, name: `${set.target}-${o.name}` })),
      files: set.plan.files.map((f) => ({
        ...f,
        pathOutputs: f.pathOutputs.map((n) => `${set.target}-${n}`),
      })),
    },
  };
}

/** Two targets exporting the same variable would silently clobber each other. */
function checkNoClash(sets: readonly CredentialSet[]): void {
  const owner = new Map<string, string>();
  for (const set of sets) {
    for (const name of [
      ...set.plan.env.map((v) => v.name),
      ...set.plan.files.flatMap((f) => f.pathEnv),
    ]) {
      const other = owner.get(name);
      if (other !== undefined && other !== set.target) {
        throw new WifError(
          'usage',
          `Targets "${other}" and "${set.target}" would both set ${name}.`,
          {
            fix: 'Give one of them a profile (AWS) or export-env: false, so each identity keeps its own place.',
          },
        );
      }
      owner.set(name, set.target);
    }
  }
}

/** The post step of every federation action: stop the refresher, remove files, blank variables. */
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
}
