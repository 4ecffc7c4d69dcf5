/**
 * `wif scan`: scan manifests, CI configuration, Terraform, Vault and SPIRE files for
 * workload-identity violations, report them, and gate on severity.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { WifError } from '../../core/errors.ts';
import { createBaseline, parseBaseline, serializeBaseline } from '../../core/scan/baseline.ts';
import type { Baseline } from '../../core/scan/baseline.ts';
import { readScanConfig } from '../../core/scan/config.ts';
import { scan } from '../../core/scan/engine.ts';
import { FAIL_ON_VALUES, gateExitCode, isFailOn } from '../../core/scan/gate.ts';
import type { FailOn } from '../../core/scan/gate.ts';
import type { VirtualSource } from '../../core/scan/loader/index.ts';
import { FORMATS, isReportFormat, render } from '../../core/scan/reporters/index.ts';
import type { ReportFormat } from '../../core/scan/reporters/index.ts';
import { utcDay } from '../../core/scan/suppressions.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command, CommandIo } from '../command.ts';

const USAGE = `Usage: wif scan [PATH|GLOB|-]... [options]

Scans files, directories, globs or standard input (-) for workload-identity violations.
With no PATH, scans the current directory.

Options:
  --format F           text (default), json, sarif, codequality or junit
  --output FILE        write the report to FILE instead of standard output
  --sarif FILE         also write SARIF 2.1.0 to FILE (likewise --json, --codequality, --junit)
  --fail-on LEVEL      ${FAIL_ON_VALUES.join('|')} (default high): exit 1 when an
                       unsuppressed finding is at least this severe
  --config FILE        configuration (default: .wif.yaml in the current directory, if present)
  --include GLOB       only scan files matching GLOB (repeatable)
  --exclude GLOB       skip files matching GLOB (repeatable)
  --baseline FILE      suppress the findings recorded in FILE
  --write-baseline FILE  record the current findings in FILE
  --show-suppressed    list suppressed findings in the text report
  --helm-chart DIR     render DIR with \`helm template\` and scan the output (needs helm on PATH)
  --values FILE        values file for --helm-chart (repeatable)
  --kustomize DIR      render DIR with \`kustomize build\` and scan the output (needs kustomize)
  --color, --no-color  force colour on or off (default: on for a terminal, off with NO_COLOR)

Exit: 0 clean, 1 findings at or above --fail-on, 2 usage or configuration error.`;

const OPTIONS = {
  format: { type: 'string' },
  output: { type: 'string' },
  sarif: { type: 'string' },
  json: { type: 'string' },
  codequality: { type: 'string' },
  junit: { type: 'string' },
  'fail-on': { type: 'string' },
  config: { type: 'string' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  baseline: { type: 'string' },
  'write-baseline': { type: 'string' },
  'show-suppressed': { type: 'boolean' },
  'helm-chart': { type: 'string', multiple: true },
  values: { type: 'string', multiple: true },
  kustomize: { type: 'string', multiple: true },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function usageError(message: string, fix = 'Run `wif scan --help` for its options.'): WifError {
  return new WifError('usage', message, { fix });
}

async function readTextFile(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw usageError(`${what} ${file} cannot be read.`, 'Check the path and its permissions.');
  }
}

function useColor(io: CommandIo, values: { color?: boolean; 'no-color'?: boolean }): boolean {
  if (values['no-color'] === true) return false;
  if (values.color === true) return true;
  if (io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '') return false;
  if (io.env['FORCE_COLOR'] !== undefined && io.env['FORCE_COLOR'] !== '0') return true;
  return process.stdout.isTTY;
}

export const command: Command = {
  name: 'scan',
  summary: 'Scan manifests and CI configs for workload-identity violations',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('scan', argv, OPTIONS, true);
    if (values.help === true) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const format = values.format ?? 'text';
    if (!isReportFormat(format)) {
      throw usageError(
        `--format ${format} is not a report format.`,
        `Use one of ${FORMATS.join(', ')}.`,
      );
    }
    const failOn = values['fail-on'] ?? 'high';
    if (!isFailOn(failOn)) {
      throw usageError(
        `--fail-on ${failOn} is not a severity.`,
        `Use one of ${FAIL_ON_VALUES.join(', ')}.`,
      );
    }
    if ((values.values ?? []).length > 0 && (values['helm-chart'] ?? []).length === 0) {
      throw usageError(
        '--values only applies to --helm-chart.',
        'Add --helm-chart DIR or drop --values.',
      );
    }
    const config = await readScanConfig(io.cwd, values.config);
    const baseline: Baseline | undefined =
      values.baseline === undefined
        ? undefined
        : parseBaseline(
            await readTextFile(path.resolve(io.cwd, values.baseline), 'Baseline'),
            values.baseline,
          );

    const extraSources: VirtualSource[] = [];
    const charts = values['helm-chart'] ?? [];
    const overlays = values.kustomize ?? [];
    if (charts.length > 0 || overlays.length > 0) {
      // Loaded only to render: spawning helm or kustomize is no cost of a plain scan's start.
      const { renderHelmChart, renderKustomization } = await import('../../core/scan/render.ts');
      for (const chart of charts) {
        extraSources.push(...(await renderHelmChart(io.cwd, chart, values.values ?? [], io.env)));
      }
      for (const overlay of overlays) {
        extraSources.push(...(await renderKustomization(io.cwd, overlay, io.env)));
      }
    }
    const rendering = extraSources.length > 0 || charts.length > 0 || overlays.length > 0;
    const inputs = positionals.length === 0 && !rendering ? ['.'] : positionals;

    const now = new Date();
    const result = await scan({
      root: io.cwd,
      inputs,
      include: values.include ?? [],
      exclude: values.exclude ?? [],
      config,
      readStdin: io.readStdin,
      extraSources,
      now,
      ...(baseline === undefined ? {} : { baseline }),
    });

    const color = useColor(io, values);
    const showSuppressed = values['show-suppressed'] === true;
    const primary = render(format, result, {
      color: values.output === undefined && color,
      showSuppressed,
    });
    if (values.output === undefined) io.stdout(primary);
    else await writeReport(io.cwd, values.output, primary);
    const extra: readonly [ReportFormat, string | undefined][] = [
      ['sarif', values.sarif],
      ['json', values.json],
      ['codequality', values.codequality],
      ['junit', values.junit],
    ];
    for (const [extraFormat, file] of extra) {
      if (file !== undefined)
        await writeReport(io.cwd, file, render(extraFormat, result, { color: false }));
    }
    if (values['write-baseline'] !== undefined) {
      await writeReport(
        io.cwd,
        values['write-baseline'],
        serializeBaseline(createBaseline(result.findings, utcDay(now))),
      );
    }
    return gateExitCode(result.findings, failOn satisfies FailOn);
  },
};

async function writeReport(cwd: string, file: string, text: string): Promise<void> {
  try {
    await writeFile(path.resolve(cwd, file), text);
  } catch (error) {
    throw new WifError('io', `Cannot write ${file}.`, {
      fix: 'Check that its directory exists and is writable.',
      cause: error,
    });
  }
}
