import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandIo } from '../../../src/cli/command.ts';
import { command } from '../../../src/cli/commands/scan.ts';
import { describeError, exitCodeFor, WifError } from '../../../src/core/errors.ts';
import { withFiles } from '../../core/scan/support/scan-files.ts';

const tokenSecret = `apiVersion: v1
kind: Secret
metadata: {name: t, namespace: ci}
type: kubernetes.io/service-account-token
`;
const clean = `apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: payments}
automountServiceAccountToken: false
`;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function fakeIo(cwd: string, stdin = ''): { io: CommandIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
      env: { NO_COLOR: '1' },
      cwd,
      stopped: new Promise(() => undefined),
      readStdin: () => Promise.resolve(stdin),
    },
  };
}

async function runIn(cwd: string, argv: string[], stdin?: string): Promise<Run> {
  const { io, out, err } = fakeIo(cwd, stdin);
  const code = await command.run(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

async function usageErrorOf(promise: Promise<unknown>): Promise<WifError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof WifError)) throw new Error('expected a WifError');
  return error;
}

describe('wif scan', () => {
  it('exits 0 on a clean tree and prints the summary line with the suppressed count', async () => {
    await withFiles({ 'k8s/sa.yaml': clean }, async (root) => {
      const run = await runIn(root, []);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('✔ no findings in 1 file, 1 document; 0 suppressed');
    });
  });

  it('exits 1 when a finding reaches --fail-on, and 0 when the threshold is above it', async () => {
    await withFiles({ 'k8s/t.yaml': tokenSecret }, async (root) => {
      expect((await runIn(root, ['.'])).code).toBe(1);
      expect((await runIn(root, ['--fail-on', 'critical'])).code).toBe(0);
      expect((await runIn(root, ['--fail-on', 'never'])).code).toBe(0);
      expect((await runIn(root, ['--fail-on', 'medium'])).code).toBe(1);
    });
  });

  it('raises usage errors (exit 2) for bad flags, formats, thresholds, inputs and configuration', async () => {
    await withFiles(
      { 'k8s/t.yaml': tokenSecret, 'bad.wif.yaml': 'rules:\n  severity:\n    K8S-01: urgent\n' },
      async (root) => {
        for (const argv of [
          ['--bogus'],
          ['--format', 'xml'],
          ['--fail-on', 'sometimes'],
          ['missing-dir'],
          ['--config', 'bad.wif.yaml'],
          ['--config', 'nope.yaml'],
          ['--values', 'v.yaml'],
        ]) {
          const error = await usageErrorOf(runIn(root, argv));
          expect(error.code, argv.join(' ')).toBe('usage');
        }
      },
    );
  });

  it('treats a glob that matches nothing as a usage error (exit 2) naming the glob', async () => {
    await withFiles({ 'k8s/t.yaml': tokenSecret }, async (root) => {
      const error = await usageErrorOf(runIn(root, ['k8s/**/*.yml']));
      expect(error.code).toBe('usage');
      expect(exitCodeFor(error)).toBe(2);
      expect(describeError(error)).toBe(
        'Input "k8s/**/*.yml" matched no files. Check the path, or quote the glob so the shell does not expand it.',
      );
    });
  });

  it('still scans a glob that matches files, next to one that matches them too', async () => {
    await withFiles({ 'k8s/t.yaml': tokenSecret }, async (root) => {
      expect((await runIn(root, ['k8s/**/*.yaml', 'k8s/*.yaml'])).code).toBe(1);
    });
  });

  it('passes an existing directory with nothing to scan (exit 0), saying so in a note', async () => {
    await withFiles({ 'docs/README.md': '# nothing to scan\n' }, async (root) => {
      const run = await runIn(root, ['docs']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('docs: no scannable files');
      expect(run.stdout).toContain('no findings in 0 files');
    });
  });

  it('reads .wif.yaml from the working directory', async () => {
    await withFiles(
      {
        'k8s/t.yaml': tokenSecret,
        '.wif.yaml':
          'ignore:\n  - rule: K8S-01\n    paths: ["k8s/**"]\n    reason: replaced by projected tokens in the next release\n',
      },
      async (root) => {
        const run = await runIn(root, []);
        expect(run.code).toBe(0);
        expect(run.stdout).toContain('1 suppressed');
      },
    );
  });

  it('writes the JSON report and extra SARIF and JUnit files', async () => {
    await withFiles({ 'k8s/t.yaml': tokenSecret }, async (root) => {
      const run = await runIn(root, [
        '--format',
        'json',
        '--sarif',
        'out.sarif',
        '--junit',
        'out.xml',
      ]);
      const report = JSON.parse(run.stdout) as { summary: { findings: number } };
      expect(report.summary.findings).toBe(1);
      const sarif = JSON.parse(await readFile(path.join(root, 'out.sarif'), 'utf8')) as {
        version: string;
      };
      expect(sarif.version).toBe('2.1.0');
      expect(await readFile(path.join(root, 'out.xml'), 'utf8')).toContain('<testsuites');
    });
  });

  it('scans standard input given as -', async () => {
    await withFiles({}, async (root) => {
      const run = await runIn(root, ['-', '--format', 'json'], tokenSecret);
      const report = JSON.parse(run.stdout) as { findings: { file: string; line: number }[] };
      expect(report.findings.map((finding) => `${finding.file}:${finding.line}`)).toEqual([
        '<stdin>:4',
      ]);
    });
  });

  it('writes a baseline, then passes with it, then fails on a new finding', async () => {
    await withFiles({ 'k8s/t.yaml': tokenSecret }, async (root) => {
      expect((await runIn(root, ['--write-baseline', 'wif-baseline.json'])).code).toBe(1);
      const withBaseline = await runIn(root, ['--baseline', 'wif-baseline.json']);
      expect(withBaseline.code).toBe(0);
      expect(withBaseline.stdout).toContain('1 suppressed');
    });
    await withFiles(
      { 'k8s/t.yaml': tokenSecret, 'k8s/u.yaml': tokenSecret.replace('name: t', 'name: u') },
      async (root) => {
        await runIn(root, ['k8s/t.yaml', '--write-baseline', 'b.json']);
        expect((await runIn(root, ['--baseline', 'b.json'])).code).toBe(1);
      },
    );
  });

  it('rejects a baseline that is not one', async () => {
    await withFiles({ 'b.json': '{"version": 7}' }, async (root) => {
      expect((await usageErrorOf(runIn(root, ['--baseline', 'b.json']))).code).toBe('usage');
    });
  });

  it('says plainly that rendering needs the binary when helm is absent', async () => {
    await withFiles(
      { 'chart/Chart.yaml': 'apiVersion: v2\nname: a\nversion: 0.1.0\n' },
      async (root) => {
        const { io } = fakeIo(root);
        const error = await usageErrorOf(
          command.run(['--helm-chart', 'chart'], {
            ...io,
            env: { WIF_HELM: path.join(root, 'no-such-helm') },
          }),
        );
        expect(error.message).toBe('helm is not installed, and rendering needs it.');
      },
    );
  });
});
