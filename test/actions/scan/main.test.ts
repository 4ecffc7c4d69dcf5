import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFileCommands } from '../../support/file-commands.ts';
import { startForwardProxy } from '../../support/forward-proxy.ts';
import { node24, repoRoot } from '../../support/paths.ts';

const entry = path.join(repoRoot, 'src', 'actions', 'scan', 'main.ts');
/** The bundle GitHub runs; its undici is loaded only behind a proxy (scripts/build-config.ts). */
const bundledEntry = path.join(repoRoot, 'dist', 'actions', 'scan', 'main.js');
const tokenSecret =
  'apiVersion: v1\nkind: Secret\nmetadata: {name: t, namespace: ci}\ntype: kubernetes.io/service-account-token\n';

let work: string;
let server: Server;
let apiUrl: string;
const posted: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'wif-scan-action-'));
  // The smallest GitHub API the comment needs: no comments yet, then a created one.
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'GET') {
        response.writeHead(200, { 'content-type': 'application/json' }).end('[]');
        return;
      }
      posted.push(
        `${request.method ?? ''} ${request.url ?? ''} ${Buffer.concat(chunks).toString('utf8')}`,
      );
      response.writeHead(201, { 'content-type': 'application/json' }).end('{"id": 42}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  await rm(work, { recursive: true, force: true });
});

interface Step {
  readonly exitCode: number;
  readonly stdout: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
}

/** Runs the action entry the way the runner does: INPUT_* variables and file commands. */
async function runStep(
  name: string,
  files: Record<string, string>,
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
  script = entry,
): Promise<Step> {
  const root = path.join(work, name);
  const workspace = path.join(root, 'workspace');
  const temp = path.join(root, 'temp');
  await mkdir(temp, { recursive: true });
  await mkdir(workspace, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(workspace, file)), { recursive: true });
    await writeFile(path.join(workspace, file), text);
  }
  const outputFile = path.join(root, 'output');
  const summaryFile = path.join(root, 'summary');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: temp,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_REPOSITORY: 'acme/api',
    GITHUB_SHA: 'abc123',
    ...extraEnv,
  };
  for (const [input, value] of Object.entries(inputs)) env[`INPUT_${input.toUpperCase()}`] = value;
  const child = spawn(node24, [script], { cwd: workspace, env });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const exitCode = await new Promise<number>((resolve) =>
    child.on('close', (code) => {
      resolve(code ?? -1);
    }),
  );
  return {
    exitCode,
    stdout,
    outputs: parseFileCommands(await readFile(outputFile, 'utf8')),
    summary: await readFile(summaryFile, 'utf8'),
  };
}

describe('scan action (runner emulation)', () => {
  it('passes a clean workspace, writes SARIF and a job summary, and sets its outputs', async () => {
    const step = await runStep(
      'clean',
      {
        'k8s/sa.yaml':
          'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: api, namespace: p}\n',
      },
      {},
    );
    expect(step.exitCode).toBe(0);
    expect(step.outputs['result']).toBe('passed');
    expect(step.outputs['findings']).toBe('0');
    const sarif = JSON.parse(await readFile(step.outputs['sarif-file']!, 'utf8')) as {
      version: string;
    };
    expect(sarif.version).toBe('2.1.0');
    expect(step.summary).toContain('wif scan passed');
  });

  it('fails the step at the threshold, still writing the SARIF for the upload step', async () => {
    const step = await runStep('failing', { 'k8s/t.yaml': tokenSecret }, { 'fail-on': 'high' });
    expect(step.exitCode).toBe(1);
    expect(step.outputs['result']).toBe('failed');
    expect(step.stdout).toContain('::error::wif scan: 1 findings (0 suppressed) in 1 files.');
    expect(step.summary).toContain('| high | [K8S-01]');
    expect(step.summary).toContain('https://github.com/acme/api/blob/abc123/k8s/t.yaml#L4');
    await expect(readFile(step.outputs['sarif-file']!, 'utf8')).resolves.toContain('"K8S-01"');
  });

  it('comments on the pull request when given a token', async () => {
    const event = path.join(work, 'event.json');
    await writeFile(event, JSON.stringify({ pull_request: { number: 7 } }));
    const step = await runStep(
      'pr',
      { 'k8s/t.yaml': tokenSecret },
      { 'github-token': 'test-token', 'fail-on': 'never' },
      { GITHUB_EVENT_PATH: event, GITHUB_EVENT_NAME: 'pull_request', GITHUB_API_URL: apiUrl },
    );
    expect(step.exitCode).toBe(0);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatch(/^POST \/repos\/acme\/api\/issues\/7\/comments .*wif-scan/);
  });

  it('comments through the proxy in http_proxy, from the bundle', async () => {
    // Every tunnel or absolute-URI request goes to the fake API, so a host that does not
    // resolve (and is not loopback, which http-client never proxies) is reachable only so.
    const apiPort = (server.address() as AddressInfo).port;
    const proxy = await startForwardProxy(() => apiPort);
    try {
      const event = path.join(work, 'event-proxy.json');
      await writeFile(event, JSON.stringify({ pull_request: { number: 7 } }));
      const before = posted.length;
      const step = await runStep(
        'pr-proxy',
        { 'k8s/t.yaml': tokenSecret },
        { 'github-token': 'test-token', 'fail-on': 'never' },
        {
          GITHUB_EVENT_PATH: event,
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_API_URL: 'http://api.wif-test.invalid',
          http_proxy: proxy.url,
        },
        bundledEntry,
      );
      expect(step.exitCode, step.stdout).toBe(0);
      expect(posted.slice(before)).toHaveLength(1);
      expect(proxy.seen.join('\n')).toContain('api.wif-test.invalid');
    } finally {
      await proxy.close();
    }
  });

  it('rejects an invalid fail-on as a usage error', async () => {
    const step = await runStep('usage', {}, { 'fail-on': 'sometimes' });
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toContain('::error::Input "fail-on" must be one of');
  });
});
