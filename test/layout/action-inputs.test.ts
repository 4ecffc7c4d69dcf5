import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { exchangeKinds } from '../../src/core/exchange/registry.ts';
import { repoRoot } from '../support/paths.ts';

/**
 * actionlint cannot see local actions, so this is our own check that every input an entry
 * point reads is declared in its action.yml (an undeclared input is always empty on a runner),
 * and that the per-cloud actions declare exactly the options their exchange parses.
 */
function declaredInputs(actionYml: string): string[] {
  const doc = parseYaml(readFileSync(actionYml, 'utf8')) as { inputs?: Record<string, unknown> };
  return Object.keys(doc.inputs ?? {});
}

function actionYmlFor(name: string): string {
  return name === 'federate'
    ? join(repoRoot, 'action.yml')
    : join(repoRoot, 'actions', name, 'action.yml');
}

const entries = readdirSync(join(repoRoot, 'src/actions')).filter((n) =>
  existsSync(join(repoRoot, 'src/actions', n, 'main.ts')),
);

describe('action inputs', () => {
  it.each(entries)('%s reads only inputs its action.yml declares', (name) => {
    const source = ['main.ts', 'run.ts']
      .map((f) => join(repoRoot, 'src/actions', name, f))
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const read = [
      ...source.matchAll(
        /(?:stringInput|booleanInput|integerInput|requiredInput|listInput)\(\s*'([^']+)'/g,
      ),
    ].map((m) => m[1]!);
    const declared = declaredInputs(actionYmlFor(name));
    expect(read.filter((n) => !declared.includes(n))).toEqual([]);
  });

  it.each(exchangeKinds.map((k) => [k.type, k] as const))(
    'actions/%s declares exactly the options of its exchange',
    (type, kind) => {
      const yml = actionYmlFor(type);
      if (!existsSync(yml)) return;
      expect(declaredInputs(yml).sort()).toEqual([...kind.optionNames].sort());
    },
  );
});
