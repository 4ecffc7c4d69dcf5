import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * In a split bundle every `import()` reaches a chunk of its own. Node gives `import()` of a
 * CommonJS package (or of node:http, bundled as a CommonJS shim) its named exports beside
 * `default`; a chunk gives only what it exports. Dependencies destructure what they get —
 * `const { request } = await import("node:http")` in the AWS SDK's instance-metadata lookup,
 * `(await import("https-proxy-agent")).HttpsProxyAgent` in gaxios and in our AWS exchange —
 * so a chunk with nothing but `default` breaks them (scripts/build-config.ts).
 */
const dist = join(import.meta.dirname, '../../dist');
const chunks = join(dist, 'chunks');
const node24 = join(import.meta.dirname, '../../node_modules/node/bin/node');

/** Every chunk some file of dist/ loads with import(). */
function dynamicallyImportedChunks(): string[] {
  const found = new Set<string>();
  const files = [
    ...readdirSync(chunks).map((name) => join(chunks, name)),
    ...readdirSync(dist, { recursive: true, encoding: 'utf8' }).map((name) => join(dist, name)),
  ].filter((file) => file.endsWith('.js'));
  for (const file of new Set(files)) {
    for (const match of readFileSync(file, 'utf8').matchAll(/import\("\.\/([\w-]+\.js)"\)/g)) {
      if (match[1] !== undefined) found.add(match[1]);
    }
  }
  return [...found].sort();
}

interface Imported {
  readonly exports: string[];
  readonly defaultKeys: string[];
  readonly undici: boolean;
}
const imported = new Map<string, Imported>();

/** Imports `chunk` in a fresh Node 24 and reports its export names and what it loaded. */
function importFresh(chunk: string): Imported {
  const known = imported.get(chunk);
  if (known !== undefined) return known;
  const script = `const ns = await import(${JSON.stringify(pathToFileURL(join(chunks, chunk)).href)});
    const d = ns.default;
    const defaultKeys = d !== null && (typeof d === 'object' || typeof d === 'function') ? Object.keys(d) : [];
    process.stdout.write(JSON.stringify({ exports: Object.keys(ns), defaultKeys,
      undici: process.moduleLoadList.some((m) => m.includes('undici')) }));`;
  const child = spawnSync(node24, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`${chunk}: ${child.stderr}`);
  const result = JSON.parse(child.stdout) as Imported;
  imported.set(chunk, result);
  return result;
}

const targets = dynamicallyImportedChunks();
const httpChunks = targets.filter((name) => name.startsWith('node_http-'));

describe('chunks that dist/ loads with import()', () => {
  it('exist, node:http among them (the AWS SDK imports it lazily)', () => {
    expect(targets.length).toBeGreaterThan(5);
    expect(httpChunks.length).toBeGreaterThan(0);
  });

  it.each(targets)('%s carries named exports, not only a default object', (chunk) => {
    const { exports, defaultKeys } = importFresh(chunk);
    const identifiers = defaultKeys.filter((key) => /^[A-Za-z_$][\w$]*$/.test(key));
    if (exports.length === 1 && exports[0] === 'default') expect(identifiers).toEqual([]);
  });

  it('give node:http its request and Agent, without loading the undici inside Node', async () => {
    for (const chunk of httpChunks) {
      const namespace = (await import(pathToFileURL(join(chunks, chunk)).href)) as Record<
        string,
        unknown
      >;
      expect(typeof namespace['request'], chunk).toBe('function');
      expect(typeof namespace['Agent'], chunk).toBe('function');
      expect(importFresh(chunk).undici, chunk).toBe(false);
    }
  });

  it('give https-proxy-agent its HttpsProxyAgent class (our AWS exchange and gaxios)', () => {
    const agents = targets.filter((chunk) =>
      importFresh(chunk).defaultKeys.includes('HttpsProxyAgent'),
    );
    expect(agents.length).toBeGreaterThan(0);
    for (const chunk of agents)
      expect(importFresh(chunk).exports, chunk).toContain('HttpsProxyAgent');
  });
});
