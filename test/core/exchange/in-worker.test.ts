import { describe, expect, it, vi } from 'vitest';
import { WifError } from '../../../src/core/errors.ts';
import { runInWorker } from '../../../src/core/exchange/in-worker.ts';
import { CLI_FLAGS } from '../../../src/core/exchange/options.ts';
import type { TargetContext, TargetToken } from '../../../src/core/exchange/target.ts';

/**
 * The main thread's side of an exchange worker, against small workers that each behave one way
 * a real one can: answer, fail, crash, exit early, or never answer. Every way ends in a settled
 * promise that names the target.
 */
const target = {
  name: 'prod',
  audience: 'sts.amazonaws.com',
  spec: { type: 'aws', name: 'prod', options: {}, door: CLI_FLAGS },
};
const token: TargetToken = {
  token: 'eyJhbGciOiJub25lIn0.eyJhdWQiOiJzdHMuYW1hem9uYXdzLmNvbSJ9.c2lnbmF0dXJl',
  claims: { aud: 'sts.amazonaws.com' },
};

function fixture(name: string): URL {
  return new URL(`./fixtures/workers/${name}.mjs`, import.meta.url);
}

function context(overrides: Partial<TargetContext> = {}): {
  ctx: TargetContext;
  lines: string[];
  audiences: string[];
  logins: string[];
} {
  const lines: string[] = [];
  const audiences: string[] = [];
  const logins: string[] = [];
  const ctx: TargetContext = {
    env: { PATH: process.env['PATH'] },
    token: async (audience) => {
      audiences.push(audience);
      return token;
    },
    log: (line) => lines.push(line),
    refreshTokenFile: (audience) =>
      audience === 'sts.amazonaws.com' ? '/runner/temp/wif-refresh-x/oidc-1' : undefined,
    wifCommand: ['wif'],
    loginAttempted: (tool) => logins.push(tool),
    ...overrides,
  };
  return { ctx, lines, audiences, logins };
}

async function refusal(promise: Promise<unknown>): Promise<WifError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WifError);
  return error as WifError;
}

describe('an exchange in a worker thread', () => {
  it('gets its token from the main thread and hands back a credential set, dates intact', async () => {
    const { ctx, lines, audiences } = context();
    let thread: number | undefined;
    const set = await runInWorker(target, fixture('protocol'), ctx, (id) => (thread = id));
    expect(audiences).toEqual(['sts.amazonaws.com']);
    expect(thread).toBeGreaterThan(0);
    expect(set.target).toBe('prod');
    expect(set.label).toBe('refresh file /runner/temp/wif-refresh-x/oidc-1');
    expect(set.values[0]?.value).toBe(token.token);
    expect(set.values[0]?.expiresAt).toEqual(new Date(Date.UTC(2030, 0, 1)));
    expect(lines).toContain('prod: got a token for sts.amazonaws.com');
  });

  it('logs what the worker writes to stdout only after scrubbing tokens out of it', async () => {
    const { ctx, lines } = context();
    await runInWorker(target, fixture('protocol'), ctx);
    await vi.waitFor(() => {
      expect(lines).toContain('prod: sdk debug: Authorization: Bearer ***');
    });
    expect(lines.join('\n')).not.toContain(token.token);
  });

  it('passes a failed token request to the exchange, which fails with the same error', async () => {
    const { ctx } = context({
      token: () =>
        Promise.reject(
          new WifError('token-missing', 'This job may not request an OIDC token.', {
            fix: 'Add `permissions: id-token: write`.',
          }),
        ),
    });
    const error = await refusal(runInWorker(target, fixture('protocol'), ctx));
    expect(error.code).toBe('token-missing');
    expect(error.oneLine()).toBe(
      'This job may not request an OIDC token. Add `permissions: id-token: write`.',
    );
  });

  it('passes on a tool login the worker attempted, even when the target then fails', async () => {
    const { ctx, logins } = context();
    const error = await refusal(runInWorker(target, fixture('login-then-fail'), ctx));
    expect(error.message).toMatch(/^az account set failed/);
    expect(logins).toEqual(['az']);
  });

  it('turns a worker that crashes into an internal error naming the target', async () => {
    const error = await refusal(runInWorker(target, fixture('crash'), context().ctx));
    expect(error.code).toBe('internal');
    expect(error.message).toBe(
      'Target "prod": its worker thread failed: it crashed: cannot load the SDK.',
    );
  });

  it('turns a worker that exits without an answer into an internal error naming the target', async () => {
    const error = await refusal(runInWorker(target, fixture('early-exit'), context().ctx));
    expect(error.code).toBe('internal');
    expect(error.message).toBe(
      'Target "prod": its worker thread failed: it exited (code 7) before it finished.',
    );
  });

  it('stops a worker that never answers when the deadline fires, with a timeout error', async () => {
    const deadline = new AbortController();
    const { ctx } = context({ signal: deadline.signal });
    const pending = runInWorker(target, fixture('silent'), ctx, () => {
      deadline.abort();
    });
    const error = await refusal(pending);
    expect(error.code).toBe('timeout');
    expect(error.message).toBe(
      'Target "prod" did not finish before the step\'s deadline; its worker thread was stopped.',
    );
  });

  it('starts no worker once the deadline has passed', async () => {
    const deadline = new AbortController();
    deadline.abort();
    let started = false;
    const error = await refusal(
      runInWorker(target, fixture('protocol'), context({ signal: deadline.signal }).ctx, () => {
        started = true;
      }),
    );
    expect(error.code).toBe('timeout');
    expect(started).toBe(false);
  });
});
