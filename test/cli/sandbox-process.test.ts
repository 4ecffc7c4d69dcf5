import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { distCli, node24 } from '../support/paths.ts';

const dir = mkdtempSync(join(tmpdir(), 'wif-sandbox-process-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function refused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code === 'ECONNREFUSED');
    });
  });
}

describe('wif sandbox as a process', () => {
  it('starts every emulator on 127.0.0.1, prints export lines, and stops on SIGTERM leaving no port listening', async () => {
    const envFile = join(dir, 'sandbox.env');
    const child = spawn(node24, [distCli, 'sandbox', '--write-env', envFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: '/usr/bin:/bin', HOME: dir, TMPDIR: dir },
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      for (let i = 0; i < 300 && !existsSync(envFile); i++) await sleep(50);
      expect(existsSync(envFile)).toBe(true);
      const text = readFileSync(envFile, 'utf8');
      const firstLine = text.trim().split('\n')[0]!;
      // The file and stdout are written separately; under load the pipe can lag the file.
      for (let i = 0; i < 100 && !stdout.includes(firstLine); i++) await sleep(50);
      expect(stdout).toContain(firstLine);
      for (const name of [
        'ACTIONS_ID_TOKEN_REQUEST_URL',
        'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
        'AWS_ENDPOINT_URL_STS',
        'WIF_GCP_STS_URL',
        'AZURE_AUTHORITY_HOST',
        'WIF_SANDBOX_CONTROL',
      ]) {
        expect(text).toMatch(new RegExp(`^export ${name}='`, 'm'));
      }
      const endpoints = [
        ...new Set(
          [...text.matchAll(/https?:\/\/(127\.0\.0\.1):(\d+)/g)].map((m) => `${m[1]!}:${m[2]!}`),
        ),
      ];
      expect(endpoints.length).toBeGreaterThanOrEqual(5);
      expect(text).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[^/'\s]+/);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      for (const endpoint of endpoints) {
        const [host, port] = endpoint.split(':');
        expect(await refused(host!, Number(port)), `${endpoint} still listening`).toBe(true);
      }
      expect(existsSync(envFile)).toBe(false);
    } finally {
      // A failed assertion must not leave the sandbox running.
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
