import { ExitCode, WifError } from '../core/errors.ts';
import type { Command, CommandIo } from './command.ts';

/**
 * The command table. Each command is imported only when it runs, so `wif token` never loads
 * the cloud SDKs and the bundle's shared chunks stay small.
 */
const commands: Readonly<
  Record<string, { summary: string; load: () => Promise<{ command: Command }> }>
> = {
  aws: {
    summary: 'Assume an AWS role with the pipeline OIDC token',
    load: () => import('./commands/aws.ts'),
  },
  azure: {
    summary: 'Sign in to Microsoft Entra ID with the pipeline OIDC token',
    load: () => import('./commands/azure.ts'),
  },
  gcp: {
    summary: 'Authenticate to Google Cloud with the pipeline OIDC token',
    load: () => import('./commands/gcp.ts'),
  },
  federate: {
    summary: 'Run every target of a wif.yaml concurrently (AWS, GCP, Azure)',
    load: () => import('./commands/federate.ts'),
  },
  token: {
    summary: 'Fetch the pipeline OIDC token and print its claims and pre-flight verdict',
    load: () => import('./commands/token.ts'),
  },
  sandbox: {
    summary: 'Run local emulators of the OIDC issuer and the cloud services',
    load: () => import('./commands/sandbox.ts'),
  },
  explain: {
    summary: 'Explain whether a trust configuration accepts a token, and why not',
    load: () => import('./commands/explain.ts'),
  },
  refresher: {
    summary: 'Keep OIDC token files fresh for SDKs that re-read them (refresh mode)',
    load: () => import('./commands/refresher.ts'),
  },
  scan: {
    summary: 'Scan manifests and CI configs for workload-identity violations',
    load: () => import('./commands/scan.ts'),
  },
};

export const VERSION = '0.1.0';

export function usage(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(
    ([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`,
  );
  return [
    "wif — trade a pipeline's OIDC token for short-lived credentials; no stored secrets.",
    '',
    'Usage: wif <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    "Run `wif <command> --help` for a command's options.",
    '',
  ].join('\n');
}

export async function run(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return ExitCode.ok;
  }
  const entry = commands[name];
  if (entry === undefined) {
    throw new WifError('usage', `Unknown command "${name}".`, {
      fix: `Run \`wif --help\` for the list (${Object.keys(commands).join(', ')}).`,
    });
  }
  const { command } = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
    return ExitCode.ok;
  }
  return command.run(rest, io);
}
