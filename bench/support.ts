import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Shared bench plumbing. Every comparison runs its candidate and its baseline alternately in
 * the same run (these machines are noisy) and reports medians and their ratio, never a
 * pass/fail against a fixed time.
 */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const node24 = join(root, 'node_modules', 'node', 'bin', 'node');

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function runProcess(
  args: readonly string[],
  env: Record<string, string>,
  cwd = root,
): Promise<{ ms: number; code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(node24, args, {
      env: { PATH: '/usr/bin:/bin', ...env },
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - started, code: code ?? -1, out });
    });
  });
}

/**
 * A token endpoint in front of the real one that notes when each request arrives: the time
 * from a process's spawn to its first request is what "load SDKs while the token request is
 * in flight" is about.
 */
export async function timedTokenEndpoint(
  upstreamUrl: string,
): Promise<{ url: string; arrivals: number[]; close(): Promise<void> }> {
  const arrivals: number[] = [];
  const upstream = new URL(upstreamUrl);
  const server = createServer((req: IncomingMessage, res) => {
    arrivals.push(performance.now());
    const target = new URL(req.url ?? '/', upstream);
    void fetch(target, { headers: { authorization: req.headers.authorization ?? '' } }).then(
      async (answer) => {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(await answer.text());
      },
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}${upstream.search}`,
    arrivals,
    close: () =>
      new Promise((r) => {
        server.close(() => {
          r();
        });
      }),
  };
}

/** A scratch dir inside the repo (git-ignored .tmp/), so bare scripts resolve node_modules. */
export function scratch(prefix: string): {
  dir: string;
  file(name: string, text: string): string;
  dispose(): void;
} {
  mkdirSync(join(root, '.tmp'), { recursive: true });
  const dir = mkdtempSync(join(root, '.tmp', prefix));
  return {
    dir,
    file(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Bytes of an ESM entry plus every chunk it imports, statically or dynamically; `alsoEntries`
 * adds entries it starts without importing them (a worker thread's bundle), counting shared
 * chunks once.
 */
export function bundleBytes(entry: string, alsoEntries: readonly string[] = []): number {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(
      /(?:from\s*|import\s*\(\s*|import\s*)["'](\.{1,2}\/[^"']+\.js)["']/g,
    ))
      visit(join(dirname(file), m[1]!));
  };
  visit(entry);
  for (const other of alsoEntries) visit(other);
  let total = 0;
  for (const f of seen) total += readFileSync(f).length;
  return total;
}

export function ratio(a: number, b: number): string {
  return (a / b).toFixed(2);
}
