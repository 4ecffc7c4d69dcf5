import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/host.ts';
import { runProbe } from '../support/probe.ts';
import { runAction } from '../support/runner.ts';

/**
 * Refresh mode: credentials that outlive the CI token. Sandbox tokens live 20 s here; the SDK's
 * default chain (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN) must keep working at 0, 30, 60
 * and 90 s, long after the first token expired, and the post step must stop the refresher.
 */
const ROLE = 'arn:aws:iam::111122223333:role/wif-sandbox-deploy';
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
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    return false;
  }
}

describe('actions/aws in refresh mode', () => {
  it(
    'keeps default-chain SDK calls working past the token lifetime, then cleans up',
    { timeout: 180_000 },
    async () => {
      const results: { at: number; ok: unknown; tokenIat: number }[] = [];
      let tokenFile = '';
      let pid = 0;
      const run = await runAction('actions/aws', {
        inputs: {
          'role-arn': ROLE,
          region: 'us-east-1',
          'sts-endpoint': sandbox.urls['aws-sts']!['sts']!,
          refresh: 'true',
        },
        oidc: sandbox.issuer.addJob({}, { tokenLifetimeSeconds: 20 }),
        afterMain: async (main) => {
          tokenFile = main.env['AWS_WEB_IDENTITY_TOKEN_FILE'] ?? '';
          pid = (JSON.parse(main.state['wif-refresher'] ?? '{}') as { pid?: number }).pid ?? 0;
          const start = Date.now();
          for (const at of [0, 30, 60, 90]) {
            await sleep(Math.max(0, start + at * 1000 - Date.now()));
            const probe = await runProbe('aws-caller-identity.mjs', {
              ...main.env,
              HOME: '/nonexistent',
            });
            results.push({
              at,
              ok: probe['ok'],
              tokenIat: decodeJwt(readFileSync(tokenFile, 'utf8')).iat ?? 0,
            });
          }
        },
      });
      try {
        expect(run.main.exitCode, run.main.stdout).toBe(0);
        expect(run.main.env['AWS_ACCESS_KEY_ID']).toBeUndefined();
        expect(run.main.env['AWS_ROLE_ARN']).toBe(ROLE);
        expect(results.map((r) => r.ok)).toEqual([true, true, true, true]);
        // The file was re-minted: the token read at 90 s is newer than the one read at 0 s.
        expect(results[3]!.tokenIat - results[0]!.tokenIat).toBeGreaterThanOrEqual(60);
        expect(pid).toBeGreaterThan(0);
        expect(run.post?.exitCode).toBe(0);
        for (let i = 0; i < 20 && alive(pid); i++) await sleep(100);
        expect(alive(pid)).toBe(false);
        expect(existsSync(tokenFile)).toBe(false);
      } finally {
        if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
        run.dispose();
      }
    },
  );
});
