/**
 * The `scan` action: runs `wif scan` over the workspace, writes SARIF for
 * github/codeql-action/upload-sarif (path in the `sarif-file` output), adds a job summary, keeps
 * one pull-request comment current when `github-token` is given, and fails the step when a
 * finding reaches `fail-on`. Installs pinned helm/kustomize when rendering needs them.
 */
import { access, constants, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import type * as GitHub from '@actions/github';
import { WifError } from '../../core/errors.ts';
import { parseBaseline } from '../../core/scan/baseline.ts';
import { readScanConfig } from '../../core/scan/config.ts';
import { scan, summarize } from '../../core/scan/engine.ts';
import { FAIL_ON_VALUES, gateExitCode, isFailOn } from '../../core/scan/gate.ts';
import type { VirtualSource } from '../../core/scan/loader/index.ts';
import { renderHelmChart, renderKustomization } from '../../core/scan/render.ts';
import {
  renderScanSummaryMarkdown,
  SCAN_COMMENT_MARKER,
} from '../../core/scan/reporters/markdown.ts';
import { renderSarif } from '../../core/scan/reporters/sarif.ts';
import { stringInput } from '../../platforms/github/inputs.ts';
import { upsertPullRequestComment } from '../../platforms/github/pr-comment.ts';
import { loadProxySupport } from '../../platforms/github/proxy-support.ts';
import { runAction } from '../../platforms/github/run-action.ts';
import { runnerTemp } from '../../platforms/github/sink.ts';
import { installTool, pinnedRelease } from '../../platforms/github/tool-install.ts';

function listInput(name: string): string[] {
  return (stringInput(name) ?? '').split(/\s*\n\s*|\s+/).filter((item) => item !== '');
}

async function onPath(binary: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  for (const directory of (env['PATH'] ?? '').split(path.delimiter)) {
    if (directory === '') continue;
    const found = await access(path.join(directory, binary), constants.X_OK).then(
      () => true,
      () => false,
    );
    if (found) return true;
  }
  return false;
}

/** Makes the renderer available: PATH, an explicit WIF_<TOOL>, or a pinned install. */
async function ensureRenderer(tool: 'helm' | 'kustomize', env: NodeJS.ProcessEnv): Promise<void> {
  const variable = `WIF_${tool.toUpperCase()}`;
  if (env[variable] !== undefined || (await onPath(tool, env))) return;
  const release = pinnedRelease(tool);
  core.info(`${tool} is not on PATH; installing the pinned ${tool} ${release.version}.`);
  env[variable] = await installTool(release);
}

/**
 * @actions/github (Octokit and undici: most of this action's code) loads only to comment, and
 * only after the proxy support it may build as it loads (proxy-support.ts).
 */
async function loadGitHub(): Promise<typeof GitHub> {
  await loadProxySupport();
  return import('@actions/github');
}

runAction(async () => {
  const env = process.env;
  const cwd = env['GITHUB_WORKSPACE'] ?? process.cwd();
  const failOn = stringInput('fail-on') ?? 'high';
  if (!isFailOn(failOn)) {
    throw new WifError(
      'usage',
      `Input "fail-on" must be one of ${FAIL_ON_VALUES.join(', ')}, not "${failOn}".`,
    );
  }
  const config = await readScanConfig(cwd, stringInput('config'));
  const baselineFile = stringInput('baseline');
  const baseline =
    baselineFile === undefined
      ? undefined
      : parseBaseline(
          await readFile(path.resolve(cwd, baselineFile), 'utf8').catch(() => {
            throw new WifError('usage', `Baseline ${baselineFile} cannot be read.`, {
              fix: 'Check the `baseline` input; it is relative to the workspace.',
            });
          }),
          baselineFile,
        );

  const extraSources: VirtualSource[] = [];
  const charts = listInput('helm-chart');
  const overlays = listInput('kustomize');
  if (charts.length > 0) await ensureRenderer('helm', env);
  if (overlays.length > 0) await ensureRenderer('kustomize', env);
  for (const chart of charts)
    extraSources.push(...(await renderHelmChart(cwd, chart, listInput('values'), env)));
  for (const overlay of overlays)
    extraSources.push(...(await renderKustomization(cwd, overlay, env)));
  const paths = listInput('paths');
  const inputs = paths.length === 0 && extraSources.length === 0 ? ['.'] : paths;

  const result = await scan({
    root: cwd,
    inputs,
    include: listInput('include'),
    exclude: listInput('exclude'),
    config,
    extraSources,
    ...(baseline === undefined ? {} : { baseline }),
  });

  const sarifFile = path.resolve(
    cwd,
    stringInput('sarif-file') ?? path.join(runnerTemp(env), 'wif-scan.sarif'),
  );
  await writeFile(sarifFile, renderSarif(result));
  const summary = summarize(result);
  const exitCode = gateExitCode(result.findings, failOn);
  core.setOutput('sarif-file', sarifFile);
  core.setOutput('findings', String(summary.findings));
  core.setOutput('suppressed', String(summary.suppressed));
  core.setOutput('result', exitCode === 0 ? 'passed' : 'failed');

  const server = env['GITHUB_SERVER_URL'] ?? 'https://github.com';
  const sha = env['GITHUB_SHA'];
  const repository = env['GITHUB_REPOSITORY'];
  const markdown = renderScanSummaryMarkdown(result, {
    failOn,
    ...(sha !== undefined && repository !== undefined
      ? { fileUrlBase: `${server}/${repository}/blob/${sha}` }
      : {}),
  });
  if (env['GITHUB_STEP_SUMMARY'] !== undefined && env['GITHUB_STEP_SUMMARY'] !== '') {
    await core.summary.addRaw(markdown).write();
  }

  const token = stringInput('github-token');
  const github = token === undefined ? undefined : await loadGitHub();
  const pullRequest = (github?.context.payload.pull_request as { number?: number } | undefined)
    ?.number;
  if (github !== undefined && token !== undefined && pullRequest !== undefined) {
    const { owner, repo } = github.context.repo;
    const comment = await upsertPullRequestComment(
      {
        token,
        owner,
        repo,
        issueNumber: pullRequest,
        ...(env['GITHUB_API_URL'] === undefined ? {} : { baseUrl: env['GITHUB_API_URL'] }),
      },
      SCAN_COMMENT_MARKER,
      markdown,
    );
    core.info(`Pull-request comment ${comment.action} (id ${comment.id}).`);
  }

  const line = `wif scan: ${summary.findings} findings (${summary.suppressed} suppressed) in ${summary.files} files.`;
  if (exitCode === 1)
    core.setFailed(
      `${line} At least one is ${failOn} or worse; see the job summary and code scanning.`,
    );
  else core.info(line);
});
