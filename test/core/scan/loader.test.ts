import { describe, expect, it } from 'vitest';
import { loadSources } from '../../../src/core/scan/loader/index.ts';
import { withFiles } from './support/scan-files.ts';

const secret = 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: Opaque\n';

async function load(
  files: Record<string, string | Buffer>,
  options: {
    inputs?: string[];
    include?: string[];
    exclude?: string[];
    stdin?: string;
    maxFileBytes?: number;
  } = {},
) {
  return withFiles(files, (root) =>
    loadSources({
      root,
      inputs: options.inputs ?? ['.'],
      include: options.include ?? [],
      exclude: options.exclude ?? [],
      ...(options.stdin === undefined
        ? {}
        : { readStdin: () => Promise.resolve(options.stdin ?? '') }),
      ...(options.maxFileBytes === undefined ? {} : { maxFileBytes: options.maxFileBytes }),
    }),
  );
}

describe('loader', () => {
  it('walks directories for configuration files and skips dependencies and VCS data', async () => {
    const result = await load({
      'k8s/a.yaml': secret,
      'k8s/readme.md': '# not config',
      'node_modules/x/a.yaml': secret,
      '.git/config.yaml': secret,
      'package-lock.json': '{}',
    });
    expect(result.documents.map((document) => document.file)).toEqual(['k8s/a.yaml']);
  });

  it('expands globs and applies --include and --exclude', async () => {
    const files = { 'a/x.yaml': secret, 'a/y.yaml': secret, 'b/z.yml': secret };
    expect((await load(files, { inputs: ['a/*.yaml'] })).documents.map((d) => d.file)).toEqual([
      'a/x.yaml',
      'a/y.yaml',
    ]);
    expect((await load(files, { include: ['b/**'] })).documents.map((d) => d.file)).toEqual([
      'b/z.yml',
    ]);
    expect((await load(files, { exclude: ['y.yaml'] })).documents.map((d) => d.file)).toEqual([
      'a/x.yaml',
      'b/z.yml',
    ]);
  });

  it('reads standard input for -', async () => {
    const result = await load({}, { inputs: ['-'], stdin: secret });
    expect(result.documents[0]?.file).toBe('<stdin>');
    expect(result.documents[0]?.classification).toMatchObject({ kind: 'k8s', k8sKind: 'Secret' });
  });

  it('skips binary and oversized files with a note', async () => {
    const result = await load(
      {
        'bin.yaml': Buffer.from([0x61, 0x00, 0x62]),
        'big.yaml': `a: "${'x'.repeat(2000)}"\n`,
        'ok.yaml': secret,
      },
      { maxFileBytes: 1000 },
    );
    expect(result.documents.map((d) => d.file)).toEqual(['ok.yaml']);
    expect(result.notes.map((note) => `${note.file}: ${note.message}`)).toEqual([
      expect.stringMatching(/^big\.yaml: skipped: \d+ bytes is over the 1000-byte limit\.$/),
      'bin.yaml: skipped: binary file.',
    ]);
  });

  it('turns invalid YAML into a located parse error and still loads the stream’s other documents', async () => {
    const result = await load({
      'm.yaml': `${secret}---\nkey: value\n  bad: indent\n---\n${secret}`,
    });
    expect(result.documents.map((d) => d.index)).toEqual([0, 2]);
    expect(result.parseErrors.map((e) => `${e.source.path}:${e.line}:${e.column}`)).toEqual([
      'm.yaml:7:6',
    ]);
  });

  it('reports invalid JSON and HCL with their locations', async () => {
    const result = await load({
      'p.json': '{\n  "a": 1,\n  "b": \n}\n',
      'main.tf': 'resource "x" "y" {\n  a = \n',
    });
    expect(result.parseErrors.map((e) => `${e.source.path}:${e.line}`).sort()).toEqual([
      'main.tf:2',
      'p.json:4',
    ]);
  });

  it('never counts commented-out configuration', async () => {
    const result = await load({
      'a.yaml': '# apiVersion: v1\n# kind: Secret\n',
      'main.tf':
        '# resource "aws_iam_access_key" "k" { user = "ci" }\n/* resource "aws_iam_access_key" "j" {} */\n',
    });
    expect(result.documents.map((d) => d.classification.kind)).toEqual(['terraform']);
    expect(result.documents[0]?.value).toEqual({});
  });

  it('skips Helm chart templates, which are not YAML until rendered', async () => {
    const result = await load({
      'chart/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
      'chart/values.yaml': 'replicas: 1\n',
      'chart/templates/deploy.yaml': 'replicas: {{ .Values.replicas }}\n',
    });
    expect(result.parseErrors).toEqual([]);
    expect(result.notes[0]?.message).toContain('--helm-chart');
  });

  it('notes, rather than reports, a .conf file that is not HCL', async () => {
    const result = await load({ 'nginx.conf': 'server {\n  listen 80;\n}\n' });
    expect(result.parseErrors).toEqual([]);
    expect(result.notes[0]?.message).toMatch(/^skipped: not HCL/);
  });
});
