import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { githubTokenSource } from '../../../src/platforms/github/id-token-source.ts';

/**
 * The GitHub token source as `wif` uses it in a `run:` step: the toolkit's `::add-mask::` lines
 * go to stderr, because stdout carries the command's data. Several targets request tokens at
 * once, answered in any order. Outside GitHub Actions nobody reads workflow commands, so none
 * is printed (an `::add-mask::` line there would only show the token).
 */
const held = new Map<string, ServerResponse>();
const server = createServer((req, res) => {
  const audience = new URL(req.url ?? '/', 'http://x').searchParams.get('audience') ?? '';
  held.set(audience, res);
});
const jwt = (audience: string): string =>
  `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ aud: audience })).toString('base64url')}.c2ln`;
function answer(audience: string): void {
  held.get(audience)?.end(JSON.stringify({ value: jwt(audience) }));
}
async function requested(audience: string): Promise<void> {
  for (let i = 0; i < 200 && !held.has(audience); i++) await new Promise((r) => setTimeout(r, 10));
}

const saved = { ...process.env };
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  process.env['ACTIONS_ID_TOKEN_REQUEST_URL'] = `http://127.0.0.1:${port}/token?api-version=2.0`;
  process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] = 'request-token';
  process.env['GITHUB_ACTIONS'] = 'true';
});
afterAll(async () => {
  process.env = saved;
  await new Promise((r) => server.close(r));
});

describe('the GitHub token source in a run: step', () => {
  it('keeps every mask line off stdout when overlapping requests finish out of order', async () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const source = githubTokenSource(process.env, { workflowCommands: 'stderr' });
      const signal = AbortSignal.timeout(10_000);
      const first = source.fetch('first', signal);
      const second = source.fetch('second', signal);
      await Promise.all([requested('first'), requested('second')]);
      answer('first');
      expect(await first).toBe(jwt('first'));
      answer('second');
      expect(await second).toBe(jwt('second'));
      const out = stdout.mock.calls.map(([chunk]) => String(chunk));
      const err = stderr.mock.calls.map(([chunk]) => String(chunk));
      expect(out.filter((line) => line.startsWith('::'))).toEqual([]);
      expect(err.filter((line) => line.startsWith('::add-mask::'))).toEqual([
        `::add-mask::${jwt('first')}\n`,
        `::add-mask::${jwt('second')}\n`,
      ]);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  });

  it('outside GitHub Actions prints no workflow command and nothing of the token', async () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const workstation = { ...process.env, GITHUB_ACTIONS: undefined };
      const source = githubTokenSource(workstation, { workflowCommands: 'stderr' });
      const pending = source.fetch('outside', AbortSignal.timeout(10_000));
      await requested('outside');
      answer('outside');
      expect(await pending).toBe(jwt('outside'));
      const printed = [...stdout.mock.calls, ...stderr.mock.calls].map(([c]) => String(c));
      expect(printed.filter((line) => line.startsWith('::'))).toEqual([]);
      expect(printed.join('')).not.toContain(jwt('outside'));
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  });
});
