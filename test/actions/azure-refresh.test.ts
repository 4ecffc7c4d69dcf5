import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/host.ts';
import { runProbe } from '../support/probe.ts';
import { runAction } from '../support/runner.ts';

/**
 * Refresh mode for Azure: sandbox tokens live 20 s, and DefaultAzureCredential, configured only
 * by what the action exported (AZURE_FEDERATED_TOKEN_FILE naming the refresher's file), must
 * keep getting Entra tokens at 0, 30, 60 and 90 s. Each call is a fresh process: within one
 * process WorkloadIdentityCredential re-reads the file only once its copy is 5 minutes old, as
 * on AKS, where projected tokens live far longer than that.
 */
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

/** Running, and not a zombie waiting for a parent that has already exited to reap it. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('actions/azure in refresh mode', () => {
  it(
    'keeps DefaultAzureCredential working past the token lifetime, then cleans up',
    { timeout: 180_000 },
    async () => {
      const results: { at: number; ok: unknown; tokenIat: number }[] = [];
      let tokenFile = '';
      let pid = 0;
      const ca = { NODE_EXTRA_CA_CERTS: sandbox.env['WIF_AZURE_CA_FILE']! };
      const run = await runAction('actions/azure', {
        inputs: {
          'client-id': sandbox.env['AZURE_CLIENT_ID']!,
          'tenant-id': sandbox.env['AZURE_TENANT_ID']!,
          'authority-host': sandbox.env['AZURE_AUTHORITY_HOST']!,
          refresh: 'true',
        },
        oidc: sandbox.issuer.addJob({}, { tokenLifetimeSeconds: 20 }),
        env: ca,
        afterMain: async (main) => {
          tokenFile = main.env['AZURE_FEDERATED_TOKEN_FILE'] ?? '';
          pid = (JSON.parse(main.state['wif-refresher'] ?? '{}') as { pid?: number }).pid ?? 0;
          const start = Date.now();
          for (const at of [0, 30, 60, 90]) {
            await sleep(Math.max(0, start + at * 1000 - Date.now()));
            const probe = await runProbe('azure-default-credential.mjs', {
              ...main.env,
              ...ca,
              HOME: '/nonexistent',
            });
            results.push({
              at,
              ok: probe['ok'] ?? probe,
              tokenIat: decodeJwt(readFileSync(tokenFile, 'utf8')).iat ?? 0,
            });
          }
        },
      });
      try {
        expect(run.main.exitCode, run.main.stdout).toBe(0);
        expect(run.main.env['ARM_OIDC_TOKEN_FILE_PATH']).toBe(tokenFile);
        expect(results.map((r) => r.ok)).toEqual([true, true, true, true]);
        // The file was re-minted: the token read at 90 s is newer than the one read at 0 s.
        expect(results[3]!.tokenIat - results[0]!.tokenIat).toBeGreaterThanOrEqual(60);
        expect(pid).toBeGreaterThan(0);
        expect(run.post?.exitCode).toBe(0);
        for (let i = 0; i < 20 && alive(pid); i++) await sleep(100);
        expect(alive(pid)).toBe(false);
        expect(existsSync(tokenFile)).toBe(false);
        expect(run.post?.env['AZURE_FEDERATED_TOKEN_FILE']).toBe('');
      } finally {
        if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
        run.dispose();
      }
    },
  );
});
