import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CredentialSet } from '../../../src/core/credentials/credential-set.ts';
import {
  hostsInWorkers,
  runTargets,
  threadPolicy,
  type RunnableTarget,
} from '../../../src/core/exchange/run-targets.ts';
import { CLI_FLAGS } from '../../../src/core/exchange/options.ts';
import type { TargetContext } from '../../../src/core/exchange/target.ts';

/**
 * Where each target's exchange runs. A fake bundle (an entry file with the protocol fixture as
 * its workers/exchange.js) stands in for dist/, so the choice is visible without building.
 */
const bundle = mkdtempSync(join(tmpdir(), 'wif-bundle-'));
mkdirSync(join(bundle, 'workers'));
writeFileSync(join(bundle, 'cli.js'), '');
copyFileSync(
  new URL('./fixtures/workers/protocol.mjs', import.meta.url),
  join(bundle, 'workers', 'exchange.js'),
);
writeFileSync(join(bundle, 'package.json'), '{"type":"module"}');
const entryUrl = pathToFileURL(join(bundle, 'cli.js')).href;
afterAll(() => {
  rmSync(bundle, { recursive: true, force: true });
});

function target(name: string): RunnableTarget {
  return {
    name,
    audience: `aud-${name}`,
    refresh: false,
    spec: { type: 'aws', name, options: {}, door: CLI_FLAGS },
    run: async () => ({
      target: name,
      label: 'ran on the main thread',
      values: [],
      plan: { env: [], outputs: [], files: [] },
    }),
  };
}

function context(policy?: string): TargetContext {
  return {
    env: policy === undefined ? {} : { WIF_EXCHANGE_THREADS: policy },
    token: async (audience) => ({
      token: 'eyJhbGciOiJub25lIn0.e30.c2ln',
      claims: { aud: audience },
    }),
    log: () => undefined,
    refreshTokenFile: () => undefined,
    wifCommand: ['wif'],
    loginAttempted: () => undefined,
  };
}

function labels(settled: PromiseSettledResult<CredentialSet>[]): string[] {
  return settled.map((s) => (s.status === 'fulfilled' ? s.value.label : String(s.reason)));
}

describe('choosing threads for the targets of a step', () => {
  it('gives each target a worker only when every one of them gets a core of its own', () => {
    expect(hostsInWorkers(3, 'auto', 4)).toBe(true);
    expect(hostsInWorkers(3, 'auto', 3)).toBe(false);
    expect(hostsInWorkers(2, 'auto', 2)).toBe(false);
  });

  it('never starts a worker for a single target, and obeys an explicit choice otherwise', () => {
    expect(hostsInWorkers(1, 'workers', 16)).toBe(false);
    expect(hostsInWorkers(3, 'workers', 2)).toBe(true);
    expect(hostsInWorkers(3, 'main', 16)).toBe(false);
  });

  it('reads WIF_EXCHANGE_THREADS and refuses a value it does not know', () => {
    expect(threadPolicy({})).toBe('auto');
    expect(threadPolicy({ WIF_EXCHANGE_THREADS: 'main' })).toBe('main');
    expect(() => threadPolicy({ WIF_EXCHANGE_THREADS: 'many' })).toThrow(
      'WIF_EXCHANGE_THREADS must be auto, workers or main, not "many".',
    );
  });
});

describe('running the targets of a step', () => {
  it('runs each target in its own worker thread beside a bundle', async () => {
    const debug: string[] = [];
    const settled = await runTargets([target('a'), target('b')], context('workers'), {
      entryUrl,
      debug: (line) => debug.push(line),
    });
    expect(labels(settled)).toEqual(['refresh file none', 'refresh file none']);
    const threads = debug.map((line) => /^(\w+): exchange runs in worker thread (\d+)$/.exec(line));
    expect(threads.map((m) => m?.[1]).sort()).toEqual(['a', 'b']);
    expect(new Set(threads.map((m) => m?.[2])).size).toBe(2);
  });

  it('runs them on the main thread from the source tree, where there is no worker bundle', async () => {
    const debug: string[] = [];
    const settled = await runTargets([target('a'), target('b')], context('workers'), {
      entryUrl: undefined,
      debug: (line) => debug.push(line),
      cores: 8,
    });
    expect(labels(settled)).toEqual(['ran on the main thread', 'ran on the main thread']);
    expect(debug).toEqual(['2 targets run on the main thread (8 cores)']);
  });

  it('runs them on the main thread when the cores are too few for a worker each', async () => {
    const settled = await runTargets([target('a'), target('b'), target('c')], context(), {
      entryUrl,
      cores: 2,
    });
    expect(labels(settled)).toEqual([
      'ran on the main thread',
      'ran on the main thread',
      'ran on the main thread',
    ]);
  });
});
