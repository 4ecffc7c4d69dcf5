/**
 * Renders Helm charts and kustomize overlays before scanning. Rendering needs the binary:
 * `helm` / `kustomize` on PATH, or `WIF_HELM` / `WIF_KUSTOMIZE` naming it (the scan action sets
 * these after installing a pinned, checksum-verified release). Helm output is split back into
 * its templates using the `# Source:` comments helm writes, so findings name the template file;
 * kustomize writes no such comments, so its output is attributed to the overlay's
 * kustomization file. Lines in rendered files refer to the rendered output.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { WifError } from '../errors.ts';
import { toRelative } from './loader/inputs.ts';
import type { VirtualSource } from './loader/index.ts';

const RENDER_TIMEOUT_MS = 120_000;
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

function run(binary: string, args: readonly string[], cwd: string, tool: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      [...args],
      { cwd, timeout: RENDER_TIMEOUT_MS, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve(stdout);
          return;
        }
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(
            new WifError('usage', `${tool} is not installed, and rendering needs it.`, {
              fix: `Install ${tool} (or set WIF_${tool.toUpperCase()} to its path); the wif scan action installs a pinned release itself.`,
            }),
          );
          return;
        }
        const detail = stderr.trim().split('\n')[0] ?? error.message;
        reject(
          new WifError('usage', `${tool} failed to render: ${detail}`, {
            fix: `Run the same ${tool} command locally and fix the chart or overlay.`,
          }),
        );
      },
    );
  });
}

/** Splits `helm template` output at its `# Source: <chart>/<path>` comments. */
export function splitHelmOutput(output: string, chartDirectory: string): VirtualSource[] {
  const byTemplate = new Map<string, string[]>();
  for (const part of output.split(/^---[ \t]*$/m)) {
    const source = /^# Source: [^/\n]+\/(.+)$/m.exec(part);
    const file =
      source === null ? `${chartDirectory}/rendered.yaml` : `${chartDirectory}/${source[1] ?? ''}`;
    if (part.trim() === '') continue;
    const list = byTemplate.get(file) ?? [];
    list.push(part.replace(/^\n/, ''));
    byTemplate.set(file, list);
  }
  return [...byTemplate.entries()].map(([file, parts]) => ({
    path: file,
    text: parts.map((part) => `---\n${part}`).join(''),
    format: 'yaml' as const,
  }));
}

export async function renderHelmChart(
  root: string,
  chart: string,
  valuesFiles: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<VirtualSource[]> {
  const chartPath = path.resolve(root, chart);
  const args = [
    'template',
    'wif-scan',
    chartPath,
    ...valuesFiles.flatMap((file) => ['--values', path.resolve(root, file)]),
  ];
  const output = await run(env['WIF_HELM'] ?? 'helm', args, root, 'helm');
  return splitHelmOutput(output, toRelative(root, chartPath));
}

export async function renderKustomization(
  root: string,
  overlay: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<VirtualSource[]> {
  const overlayPath = path.resolve(root, overlay);
  const output = await run(
    env['WIF_KUSTOMIZE'] ?? 'kustomize',
    ['build', overlayPath],
    root,
    'kustomize',
  );
  return [
    { path: `${toRelative(root, overlayPath)}/kustomization.yaml`, text: output, format: 'yaml' },
  ];
}
