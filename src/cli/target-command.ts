import { WifError } from '../core/errors.ts';
import { CLI_FLAGS, OptionReader, type RawOptions } from '../core/exchange/options.ts';
import { exchangeKind } from '../core/exchange/registry.ts';
import type { CliExportFormat } from '../platforms/cli/sink.ts';
import { parseCommandArgs } from './args.ts';
import type { CommandIo } from './command.ts';
import { federateOnCli, selfCommand } from './federation.ts';

/**
 * `wif aws|gcp|azure`: one target, its options as flags under the names its action uses, run
 * through the same registry entry a wif.yaml target of that type uses — so the CLI, the
 * actions and the config file cannot drift apart.
 */
const FRONT_DOOR_FLAGS = ['source', 'format', 'output-dir'] as const;

export interface TargetFlags {
  readonly options: RawOptions;
  readonly source: string;
  readonly format: CliExportFormat;
  readonly outputDir: string | undefined;
  /** Flags the command declared beyond the target's options (e.g. `token-file`). */
  readonly extra: Readonly<Record<string, string | undefined>>;
}

export function parseTargetFlags(
  command: string,
  argv: readonly string[],
  optionNames: readonly string[],
  booleanOptions: readonly string[],
  extraFlags: readonly string[] = [],
): TargetFlags {
  const spec: Record<string, { type: 'string' } | { type: 'boolean' }> = {};
  for (const name of [...optionNames, ...FRONT_DOOR_FLAGS, ...extraFlags]) {
    spec[name] = booleanOptions.includes(name) ? { type: 'boolean' } : { type: 'string' };
  }
  const { values } = parseCommandArgs(command, argv, spec);
  const text = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'boolean' ? String(value) : value;
  };
  const options: Record<string, string | undefined> = {};
  for (const name of optionNames) options[name] = text(name);
  const format = new OptionReader({ format: text('format') }, CLI_FLAGS).oneOf(
    'format',
    ['shell', 'json', 'env-file'] as const,
    'shell',
  );
  return {
    options,
    source: text('source') ?? 'auto',
    format,
    outputDir: text('output-dir'),
    extra: Object.fromEntries(extraFlags.map((name) => [name, text(name)])),
  };
}

export async function runTargetOnCli(
  type: string,
  flags: TargetFlags,
  io: CommandIo,
): Promise<void> {
  const kind = exchangeKind(type);
  if (kind === undefined)
    throw new WifError('internal', `No exchange is registered for "${type}".`);
  const target = kind.prepare(type, new OptionReader(flags.options, CLI_FLAGS), io.env);
  await federateOnCli(
    [target],
    {
      source: flags.source,
      format: flags.format,
      outputDir: flags.outputDir,
      timeoutSeconds: target.timeoutSeconds,
      prefixOutputs: false,
    },
    io,
    selfCommand(),
  );
}
