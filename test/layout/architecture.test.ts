import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from '../support/paths.ts';

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
    .map((f) => join(repoRoot, dir, f))
    .filter((f) => f.endsWith(suffix) && statSync(f).isFile());
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  for (const m of text.matchAll(
    /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
  )) {
    specifiers.push((m[1] ?? m[2])!);
  }
  return specifiers;
}

describe('the tree is shaped like docs/architecture.md', () => {
  it.each([
    'src/core',
    'src/platforms',
    'src/cli',
    'src/sandbox',
    'src/actions',
    'actions',
    'gitlab-templates',
    'tekton',
    'test',
    'bench',
    'dist',
    'docs',
  ])('has %s/', (dir) => {
    expect(statSync(join(repoRoot, dir)).isDirectory()).toBe(true);
  });

  it('keeps docs/architecture.md', () => {
    expect(readFileSync(join(repoRoot, 'docs/architecture.md'), 'utf8')).toMatch(
      /One flow, three front doors/,
    );
  });
});

describe('src/core knows nothing of any CI platform', () => {
  const offenders: string[] = [];
  for (const file of filesUnder('src/core', '.ts')) {
    for (const spec of importsOf(file)) {
      const platformPackage = /^@actions\/|^@gitbeaker\//.test(spec);
      const platformDir =
        spec.startsWith('.') &&
        /(^|\/)platforms(\/|$)/.test(join(relative(repoRoot, file), '..', spec));
      if (platformPackage || platformDir)
        offenders.push(`${relative(repoRoot, file)} imports ${spec}`);
    }
  }
  it('imports no @actions/*, @gitbeaker/* or src/platforms module', () => {
    expect(offenders).toEqual([]);
  });

  it('the check itself catches such an import', () => {
    const probe =
      "import * as core from '@actions/core';\nimport { x } from '../../platforms/github/sink.ts';";
    const found = [...probe.matchAll(/from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
    expect(found.filter((s) => /^@actions\//.test(s!) || /platforms/.test(s!))).toHaveLength(2);
  });
});

describe('every action runs on node24 from a committed bundle', () => {
  const actionFiles = [join(repoRoot, 'action.yml'), ...filesUnder('actions', 'action.yml')].filter(
    (f) => existsSync(f),
  );

  it('finds the actions', () => {
    expect(actionFiles.length).toBeGreaterThan(0);
  });

  it.each(actionFiles.map((f) => [relative(repoRoot, f), f]))(
    '%s uses node24 and its bundles exist',
    (_name, file) => {
      const doc = parseYaml(readFileSync(file, 'utf8')) as {
        runs?: { using?: string; main?: string; post?: string };
      };
      expect(doc.runs?.using).toBe('node24');
      for (const entry of [doc.runs?.main, doc.runs?.post]) {
        if (entry === undefined) continue;
        const bundle = join(file, '..', entry);
        expect(existsSync(bundle), `${entry} is missing; run npm run build`).toBe(true);
        expect(relative(repoRoot, bundle).startsWith('dist/')).toBe(true);
      }
    },
  );

  it('every src/actions entry has an action.yml that uses it', () => {
    const declared = new Set(
      actionFiles.flatMap((f) => {
        const doc = parseYaml(readFileSync(f, 'utf8')) as {
          runs?: { main?: string; post?: string };
        };
        return [doc.runs?.main, doc.runs?.post]
          .filter((e): e is string => e !== undefined)
          .map((e) => relative(repoRoot, join(f, '..', e)));
      }),
    );
    const entries = filesUnder('src/actions', '.ts')
      .filter((f) => /\/(main|post)\.ts$/.test(f))
      .map((f) =>
        relative(repoRoot, f)
          .replace(/^src\//, 'dist/')
          .replace(/\.ts$/, '.js'),
      );
    expect(entries.filter((e) => !declared.has(e))).toEqual([]);
  });
});
