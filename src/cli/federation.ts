import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CredentialSet } from '../core/credentials/credential-set.ts';
import { SecretDirectory } from '../core/credentials/secret-files.ts';
import { prefixOutputs } from '../core/credentials/several-targets.ts';
import { WifError } from '../core/errors.ts';
import { runTargets, type RunnableTarget } from '../core/exchange/run-targets.ts';
import type { TargetContext, ToolLogin } from '../core/exchange/target.ts';
import { refreshOnce, refreshTargets, tokenFileName } from '../core/refresh/refresher.ts';
import { obtainToken } from '../core/token/obtain.ts';
import { parseTokenSourceSpec } from '../core/token/source.ts';
import { exportToCli, type CliExportFormat } from '../platforms/cli/sink.ts';
import { spawnRefresher } from '../platforms/refresher-process.ts';
import { createTokenSource } from '../platforms/token-sources.ts';
import type { CommandIo } from './command.ts';

/** A target as the CLI runs it: the same core exchange the actions run. */
export type CliTarget = RunnableTarget;

export interface CliFederationOptions {
  readonly source: string;
  readonly format: CliExportFormat;
  readonly outputDir: string | undefined;
  readonly timeoutSeconds: number;
  /**
   * Name outputs `<target>-<output>` (`WIF_<TARGET>_<OUTPUT>` as variables), as the umbrella
   * action does, so several targets keep theirs apart: `wif federate`, not `wif aws`.
   */
  readonly prefixOutputs: boolean;
}

/** argv that runs this very CLI again (credential_process, the refresher). */
export function selfCommand(): readonly string[] {
  const script = process.argv[1];
  if (script === undefined) throw new WifError('internal', 'Cannot tell where the wif CLI is.');
  return [process.execPath, script];
}

/**
 * The CLI front door of federation (GitLab jobs, Tekton steps, workstations): one token
 * source, every target concurrently, all-or-nothing export in the chosen format.
 */
export async function federateOnCli(
  targets: readonly CliTarget[],
  options: CliFederationOptions,
  io: CommandIo,
  wifCommand: readonly string[],
): Promise<void> {
  const spec = parseTokenSourceSpec(options.source, io.env);
  const source = createTokenSource(spec, io.env, { workflowCommands: 'stderr' });
  const deadline = AbortSignal.timeout(options.timeoutSeconds * 1000);
  const refreshAudiences = targets.filter((t) => t.refresh).map((t) => t.audience);
  let refreshDir: SecretDirectory | undefined;
  if (refreshAudiences.length > 0) {
    refreshDir = await SecretDirectory.create(
      options.outputDir ?? io.env['TMPDIR'] ?? tmpdir(),
      'wif-refresh-',
    );
    await refreshOnce(source, refreshDir, refreshTargets(refreshAudiences), deadline);
  }
  const dir = refreshDir?.path;
  const loggedIn = new Set<ToolLogin>();
  const ctx: TargetContext = {
    env: io.env,
    token: (audience) =>
      obtainToken(source, { audience, deadlineMs: options.timeoutSeconds * 1000 }),
    signal: deadline,
    log: (line) => {
      io.stderr(`wif: ${line}\n`);
    },
    refreshTokenFile: (audience) =>
      dir !== undefined && refreshAudiences.includes(audience)
        ? join(dir, tokenFileName(audience))
        : undefined,
    wifCommand,
    loginAttempted: (tool) => loggedIn.add(tool),
  };
  try {
    const settled = await runTargets(targets, ctx, {
      entryUrl: io.entryUrl,
      debug: (line) => {
        io.stderr(`wif: ${line}\n`);
      },
    });
    const failed = settled.findIndex((s) => s.status === 'rejected');
    const rejection = settled[failed];
    const target = targets[failed];
    if (rejection?.status === 'rejected' && target !== undefined) {
      const reason = rejection.reason as unknown;
      if (targets.length === 1) throw reason;
      throw new WifError(
        reason instanceof WifError ? reason.code : 'internal',
        `Target "${target.name}" failed: ${reason instanceof WifError ? reason.oneLine() : String(reason)}`,
      );
    }
    const results = settled.map((s) => (s as PromiseFulfilledResult<CredentialSet>).value);
    // The sink refuses two targets that would set the same variable before writing anything.
    await exportToCli(options.prefixOutputs ? results.map(prefixOutputs) : results, {
      format: options.format,
      outputDir: options.outputDir,
      write: io.stdout,
    });
  } catch (error) {
    await refreshDir?.remove();
    throw error;
  } finally {
    // A CLI has no post step, and `az account clear` would also forget the accounts of whoever
    // runs it on a workstation: logging out is left to the caller, and said so.
    if (loggedIn.has('az'))
      io.stderr(
        'wif: the Azure CLI stays logged in after wif exits; run `az account clear` when the job is done with it.\n',
      );
  }
  if (refreshDir !== undefined) {
    const pid = spawnRefresher({
      wifCommand,
      dir: refreshDir.path,
      audiences: refreshAudiences,
      source: spec,
      maxLifetimeSeconds: 6 * 3600,
      env: { ...io.env },
    });
    io.stderr(
      `wif: refresher started (pid ${pid}); stop it with: kill ${pid} && rm -rf ${refreshDir.path}\n`,
    );
  }
}
