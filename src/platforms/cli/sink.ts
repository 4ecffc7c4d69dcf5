import { tmpdir } from 'node:os';
import { applyExport } from '../../core/credentials/apply.ts';
import { expiryOf, type CredentialSet } from '../../core/credentials/credential-set.ts';
import { SecretDirectory } from '../../core/credentials/secret-files.ts';
import { exportLine, outputToEnvName } from '../../core/credentials/shell.ts';
import { exportToEnvFile } from '../env-file-sink.ts';

export type CliExportFormat = 'shell' | 'json' | 'env-file';

export interface CliExportOptions {
  readonly format: CliExportFormat;
  /** Where credential files go (a fresh 0700 directory is made inside); default the temp dir. */
  readonly outputDir?: string | undefined;
  readonly write: (text: string) => void;
}

/**
 * CLI sink, for a workstation or a script: `export` lines to eval, a JSON document, or a 0600
 * env file whose path is printed (the only form that keeps values off the terminal).
 */
export async function exportToCli(
  sets: readonly CredentialSet[],
  options: CliExportOptions,
): Promise<void> {
  const directory = (): Promise<SecretDirectory> =>
    SecretDirectory.create(options.outputDir ?? tmpdir());
  if (options.format === 'env-file') {
    const applied = await exportToEnvFile(sets, directory);
    options.write(`${applied.envFile}\n`);
    return;
  }
  const env: Record<string, string> = {};
  const outputs: Record<string, string> = {};
  const applied = await applyExport(
    sets,
    {
      mask: () => undefined,
      setEnv: (name, value) => (env[name] = value),
      setOutput: (name, value) => (outputs[name] = value),
      // Export lines turn outputs into variables; the JSON document keeps them apart.
      outputVariable: options.format === 'shell' ? (name) => outputToEnvName(name) : undefined,
    },
    directory,
  );
  if (options.format === 'shell') {
    const lines = [
      ...Object.entries(env).map(([k, v]) => exportLine(k, v)),
      ...Object.entries(outputs).map(([k, v]) => exportLine(outputToEnvName(k), v)),
    ];
    options.write(`${lines.join('\n')}\n`);
    return;
  }
  const document = {
    credentials: sets.map((set) => ({
      target: set.target,
      label: set.label,
      expiresAt: expiryOf(set)?.toISOString() ?? null,
    })),
    env,
    outputs,
    files: applied.files,
  };
  options.write(`${JSON.stringify(document, null, 2)}\n`);
}
