import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * node:http is bundled as a CommonJS shim (scripts/build-config.ts). A dependency's
 * `await import("node:http")` then reaches a chunk of its own, and the AWS SDK destructures
 * what it gets (`const { request } = await import("node:http")` in its instance-metadata
 * region lookup): the chunk must carry named exports, not only `default`, and building them
 * must not read node:http's lazy getters (its WebSocket getter compiles Node's own undici).
 */
const chunks = join(import.meta.dirname, '../../dist/chunks');
const node24 = join(import.meta.dirname, '../../node_modules/node/bin/node');

function dynamicallyImportedHttpChunks(): string[] {
  const found = new Set<string>();
  for (const name of readdirSync(chunks)) {
    if (!name.endsWith('.js')) continue;
    const text = readFileSync(join(chunks, name), 'utf8');
    for (const match of text.matchAll(/import\("\.\/(node_http-[\w-]+\.js)"\)/g)) {
      if (match[1] !== undefined) found.add(match[1]);
    }
  }
  return [...found];
}

describe('built-in modules in dist/', () => {
  it('gives import("node:http") in a dependency the named exports it destructures', async () => {
    const targets = dynamicallyImportedHttpChunks();
    // The AWS SDK's http handler and its IMDS lookup both import node:http lazily.
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) {
      const namespace = (await import(pathToFileURL(join(chunks, target)).href)) as Record<
        string,
        unknown
      >;
      expect(typeof namespace['request'], target).toBe('function');
      expect(typeof namespace['Agent'], target).toBe('function');
      expect(typeof (namespace['default'] as Record<string, unknown>)['request']).toBe('function');
    }
  });

  it('imports node:http without loading the undici inside Node', () => {
    for (const target of dynamicallyImportedHttpChunks()) {
      const script = `await import(${JSON.stringify(pathToFileURL(join(chunks, target)).href)});
        process.stdout.write(JSON.stringify(process.moduleLoadList.filter((m) => m.includes('undici'))));`;
      const child = spawnSync(node24, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      expect(child.stderr, target).toBe('');
      expect(JSON.parse(child.stdout) as unknown, target).toEqual([]);
    }
  });
});
