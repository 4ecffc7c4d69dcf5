import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WifError } from '../../../src/core/errors.ts';
import { installTool, pinnedRelease } from '../../../src/platforms/github/tool-install.ts';
import type { ToolRelease } from '../../../src/platforms/github/tool-install.ts';

let work: string;
let server: Server;
let base: string;
let archive: Buffer;
let requests = 0;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'wif-tool-'));
  // A release-shaped archive: helm's layout, `linux-amd64/helm`, with a script standing in for the binary.
  const staging = path.join(work, 'staging');
  await mkdir(path.join(staging, 'linux-amd64'), { recursive: true });
  await writeFile(path.join(staging, 'linux-amd64', 'helm'), '#!/bin/sh\necho "v3.14.4+fake"\n', {
    mode: 0o755,
  });
  await writeFile(path.join(staging, 'linux-amd64', 'LICENSE'), 'Apache-2.0\n');
  execFileSync('tar', ['-czf', path.join(work, 'helm.tar.gz'), '-C', staging, 'linux-amd64']);
  archive = await readFile(path.join(work, 'helm.tar.gz'));
  server = createServer((request, response) => {
    requests += 1;
    if (request.url === '/helm-v3.14.4-linux-amd64.tar.gz') {
      response.writeHead(200, { 'content-type': 'application/gzip' }).end(archive);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env['RUNNER_TOOL_CACHE'] = path.join(work, 'tool-cache');
  process.env['RUNNER_TEMP'] = path.join(work, 'temp');
});

afterAll(async () => {
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  await rm(work, { recursive: true, force: true });
});

function release(overrides: Partial<ToolRelease> = {}): ToolRelease {
  return {
    tool: 'helm',
    version: '3.14.4',
    url: `${base}/helm-v3.14.4-linux-amd64.tar.gz`,
    sha256: createHash('sha256').update(archive).digest('hex'),
    binary: 'linux-amd64/helm',
    ...overrides,
  };
}

describe('pinned renderer install (tool-cache)', () => {
  it('refuses an archive whose SHA-256 differs from the pin, and caches nothing', async () => {
    const error = await installTool(release({ sha256: '0'.repeat(64) })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(WifError);
    expect((error as WifError).message).toMatch(/failed its checksum/);
    await expect(
      readFile(path.join(work, 'tool-cache', 'helm', '3.14.4', process.arch, 'helm')),
    ).rejects.toThrow();
  });

  it('downloads, verifies, extracts and caches the binary, which then runs', async () => {
    const binary = await installTool(release());
    expect(binary).toBe(path.join(work, 'tool-cache', 'helm', '3.14.4', process.arch, 'helm'));
    expect(execFileSync(binary, { encoding: 'utf8' })).toBe('v3.14.4+fake\n');
  });

  it('reuses the cached install without downloading again', async () => {
    const before = requests;
    expect(await installTool(release())).toBe(
      path.join(work, 'tool-cache', 'helm', '3.14.4', process.arch, 'helm'),
    );
    expect(requests).toBe(before);
  });

  it('pins real digests for the supported platforms and says so for others', () => {
    expect(pinnedRelease('helm', 'linux-x64').sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(pinnedRelease('kustomize', 'linux-x64').url).toMatch(
      /^https:\/\/github\.com\/kubernetes-sigs\//,
    );
    expect(() => pinnedRelease('kustomize', 'darwin-arm64')).toThrow(
      /No pinned kustomize release for darwin-arm64/,
    );
  });
});
