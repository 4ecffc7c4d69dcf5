import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/core/scan/config.ts';
import { scan } from '../../../src/core/scan/engine.ts';
import {
  renderHelmChart,
  renderKustomization,
  splitHelmOutput,
} from '../../../src/core/scan/render.ts';
import { rule as legacyToken } from '../../../src/core/scan/rules/k8s-01-legacy-sa-token-secret.ts';
import { withFiles } from './support/scan-files.ts';

const helmOutput = `---
# Source: app/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
---
# Source: app/templates/token.yaml
apiVersion: v1
kind: Secret
metadata:
  name: app-token
type: kubernetes.io/service-account-token
`;

/** A stand-in renderer: prints fixed output and records its arguments, like the real binary. */
async function fakeRenderer(root: string, name: string, output: string): Promise<string> {
  const script = path.join(root, name);
  await writeFile(path.join(root, `${name}.out`), output);
  await writeFile(script, `#!/bin/sh\necho "$@" > "${script}.args"\ncat "${script}.out"\n`);
  await chmod(script, 0o755);
  return script;
}

describe('chart and overlay rendering', () => {
  it('attributes helm output to the templates named in its Source comments', () => {
    const sources = splitHelmOutput(helmOutput, 'charts/app');
    expect(sources.map((source) => source.path)).toEqual([
      'charts/app/templates/serviceaccount.yaml',
      'charts/app/templates/token.yaml',
    ]);
  });

  it('scans a rendered chart and reports findings against the template file', async () => {
    await withFiles(
      {
        'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
        'prod.yaml': 'replicas: 3\n',
      },
      async (root) => {
        const helm = await fakeRenderer(root, 'helm', helmOutput);
        const sources = await renderHelmChart(root, 'charts/app', ['prod.yaml'], {
          WIF_HELM: helm,
        });
        const result = await scan({
          root,
          inputs: [],
          include: [],
          exclude: [],
          config: DEFAULT_CONFIG,
          rules: [legacyToken],
          extraSources: sources,
        });
        expect(result.findings.map((finding) => `${finding.file}:${finding.line}`)).toEqual([
          'charts/app/templates/token.yaml:7',
        ]);
      },
    );
  });

  it('passes values files to helm template', async () => {
    await withFiles(
      { 'charts/app/Chart.yaml': 'name: app\n', 'prod.yaml': 'a: 1\n' },
      async (root) => {
        const helm = await fakeRenderer(root, 'helm', helmOutput);
        await renderHelmChart(root, 'charts/app', ['prod.yaml'], { WIF_HELM: helm });
        expect((await readFile(`${helm}.args`, 'utf8')).trim()).toBe(
          `template wif-scan ${path.join(root, 'charts/app')} --values ${path.join(root, 'prod.yaml')}`,
        );
      },
    );
  });

  it('attributes kustomize output to the overlay', async () => {
    await withFiles({ 'overlays/prod/kustomization.yaml': 'resources: []\n' }, async (root) => {
      const kustomize = await fakeRenderer(
        root,
        'kustomize',
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: prod}\n',
      );
      const sources = await renderKustomization(root, 'overlays/prod', {
        WIF_KUSTOMIZE: kustomize,
      });
      expect(sources.map((source) => source.path)).toEqual(['overlays/prod/kustomization.yaml']);
    });
  });

  it('turns a renderer failure into a usage error with its first stderr line', async () => {
    await withFiles({}, async (root) => {
      const script = path.join(root, 'helm');
      await writeFile(script, '#!/bin/sh\necho "Error: Chart.yaml file is missing" >&2\nexit 1\n');
      await chmod(script, 0o755);
      await expect(renderHelmChart(root, 'nochart', [], { WIF_HELM: script })).rejects.toThrow(
        'helm failed to render: Error: Chart.yaml file is missing',
      );
    });
  });
});
