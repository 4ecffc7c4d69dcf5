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

describe('actions/aws in refresh mode with options the web-identity provider cannot carry', () => {
  const CHAINED = 'arn:aws:iam::111122223333:role/wif-sandbox-readonly';

  it('refuses to export web-identity variables that would run as the base role', async () => {
    const run = await runAction('actions/aws', {
      inputs: {
        'role-arn': ROLE,
        region: 'us-east-1',
        'sts-endpoint': sandbox.urls['aws-sts']!['sts']!,
        'chain-role-arns': CHAINED,
        'inline-session-policy': '{"Version":"2012-10-17","Statement":[]}',
        refresh: 'true',
      },
      oidc: sandbox.issuer.addJob(),
    });
    expect(run.main.exitCode).toBe(1);
    expect(run.main.errors).toEqual([
      expect.stringMatching(
        /^Input "chain-role-arns", Input "inline-session-policy" cannot be combined with Input "refresh" .*Use profile: NAME/,
      ),
    ]);
    expect(run.main.env['AWS_ROLE_ARN']).toBeUndefined();
    expect(run.main.state['wif-refresher']).toBeUndefined();
    run.dispose();
  });

  it(
    'with a profile, the SDK default chain runs as the chained role through credential_process',
    { timeout: 60_000 },
    async () => {
      let probe: Record<string, unknown> = {};
      let pid = 0;
      const run = await runAction('actions/aws', {
        inputs: {
          'role-arn': ROLE,
          region: 'us-east-1',
          'sts-endpoint': sandbox.urls['aws-sts']!['sts']!,
          'chain-role-arns': CHAINED,
          'role-duration-seconds': '900',
          profile: 'chained',
          refresh: 'true',
        },
        oidc: sandbox.issuer.addJob(),
        afterMain: async (main) => {
          pid = (JSON.parse(main.state['wif-refresher'] ?? '{}') as { pid?: number }).pid ?? 0;
          probe = await runProbe('aws-caller-identity.mjs', {
            ...main.env,
            AWS_PROFILE: 'chained',
            HOME: '/nonexistent',
          });
        },
      });
      try {
        expect(run.main.exitCode, run.main.stdout).toBe(0);
        expect(run.main.env['AWS_ROLE_ARN']).toBeUndefined();
        expect(run.main.outputs['aws-credential-process']).toMatch(
          /aws credential-process .*--role-duration-seconds 900 --chain-role-arns arn:aws:iam::111122223333:role\/wif-sandbox-readonly/,
        );
        expect(probe).toMatchObject({ ok: true, account: '111122223333' });
        expect(String(probe['arn'])).toMatch(/:assumed-role\/wif-sandbox-readonly\//);
        expect(run.post?.exitCode).toBe(0);
      } finally {
        if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
        run.dispose();
      }
    },
  );
});
