import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { writeFileAtomically } from '../../core/credentials/secret-files.ts';
import { WifError } from '../../core/errors.ts';
import { shownUrl } from '../../core/redact.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command, CommandIo } from '../command.ts';
import { loadSandboxConfig } from '../../sandbox/config.ts';
import type { EmulatorDefinition } from '../../sandbox/emulator.ts';
import { emulators as registry } from '../../sandbox/emulators.ts';
import { parseFaultFlag, type FaultSettings } from '../../sandbox/faults.ts';
import { sequentialPorts, startSandbox } from '../../sandbox/host.ts';
import { issuerName } from '../../sandbox/oidc/emulator.ts';
import { platforms } from '../../sandbox/oidc/mint.ts';

const usage = `Usage:
  wif sandbox [--config FILE] [--write-env FILE] [--fault EMULATOR:KNOB=VALUE[,…]]… [--port N]
  wif sandbox token [--platform github|gitlab|kubernetes] [--audience A]… [--lifetime SECONDS]
                    [--alg RS256|ES256] [--issuer URL] [--control URL]

Runs protocol-faithful emulators of the OIDC issuer and the cloud services, in this process, on
127.0.0.1 only, and prints \`export NAME='value'\` lines that point clients at them, e.g.
  wif sandbox --write-env .sandbox.env &   then, once the file exists:   . ./.sandbox.env
It runs until SIGINT or SIGTERM, then closes every server.

Options:
  --config FILE    YAML or JSON, one section per emulator (default: the built-in config)
  --write-env FILE also write the export lines to FILE (mode 0600; removed on stop). Not
                   --env-file: Node reads that flag anywhere on its command line as its own.
  --fault SPEC     initial fault knobs, e.g. aws-sts:errorRate=1,errorCode=Throttling,remaining=2
                   (knobs: errorRate errorCode throttleRate latencyMs resetRate remaining);
                   change them live with PUT/DELETE $WIF_SANDBOX_CONTROL/faults/<emulator>
  --port N         control server on N, then each emulator on N+1, N+2… in start order
                   (default: free ports)

wif sandbox token prints a fresh token from the running sandbox found at $WIF_SANDBOX_CONTROL
(or --control). GitLab tokens need --audience; --issuer may name a path of the sandbox issuer,
e.g. "$WIF_SANDBOX_ISSUER/gitlab", so relying parties can tell the platforms apart. Kubernetes
tokens live at least 600 seconds, as the TokenRequest API enforces.`;

export const command: Command = {
  name: 'sandbox',
  summary: 'Run local emulators of the OIDC issuer and the cloud services',
  usage,
  run: (argv, io) => (argv[0] === 'token' ? mintToken(argv.slice(1), io) : runSandbox(argv, io)),
};

/** `wif sandbox`, with the emulator list injectable so tests can run a subset. */
export async function runSandbox(
  argv: readonly string[],
  io: CommandIo,
  emulators: readonly EmulatorDefinition[] = registry,
): Promise<number> {
  const { values } = parseCommandArgs('sandbox', argv, {
    config: { type: 'string' },
    // Not `--env-file`: Node 24 claims that flag even after the script name and loads the file.
    'write-env': { type: 'string' },
    fault: { type: 'string', multiple: true },
    port: { type: 'string' },
  });
  const names = [issuerName, ...emulators.map((e) => e.name).filter((n) => n !== issuerName)];
  const configPath = values.config === undefined ? undefined : resolve(io.cwd, values.config);
  const config = await loadSandboxConfig(configPath, names);
  const faults = (values.fault ?? []).map(readFaultFlag);
  const ports =
    values.port === undefined
      ? undefined
      : sequentialPorts(readPort(values.port, names.length), names);

  const started = performance.now();
  const sandbox = await startSandbox({
    config,
    faults,
    emulators,
    ...(ports === undefined ? {} : { ports }),
    log: (line) => {
      io.stderr(`wif sandbox: ${line}\n`);
    },
  });
  const envFile =
    values['write-env'] === undefined ? undefined : resolve(io.cwd, values['write-env']);
  try {
    const lines = Object.entries(sandbox.env)
      .map(([name, value]) => `export ${name}=${shellQuote(value)}\n`)
      .join('');
    if (envFile !== undefined) await writePrivateFile(envFile, lines);
    io.stdout(lines);
    const ms = Math.round(performance.now() - started);
    io.stderr(
      `wif sandbox: ${names.length} emulators up on 127.0.0.1 in ${ms} ms (issuer ${sandbox.issuer.url}, control ${sandbox.controlUrl}); stop with Ctrl-C.\n`,
    );
    await io.stopped;
  } finally {
    await sandbox.close();
    if (envFile !== undefined) await rm(envFile, { force: true });
  }
  io.stderr('wif sandbox: stopped.\n');
  return 0;
}

async function mintToken(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseCommandArgs('sandbox token', argv, {
    platform: { type: 'string', default: 'github' },
    audience: { type: 'string', multiple: true },
    lifetime: { type: 'string' },
    alg: { type: 'string' },
    issuer: { type: 'string' },
    control: { type: 'string' },
  });
  const platform = values.platform;
  if (!(platforms as readonly string[]).includes(platform)) {
    throw usageError(`--platform must be one of ${platforms.join(', ')}, got "${platform}".`);
  }
  const body: Record<string, unknown> = { profile: { platform } };
  const audience = values.audience ?? [];
  if (audience.length > 0) body.audience = audience.length === 1 ? audience[0] : audience;
  if (values.lifetime !== undefined) {
    const seconds = Number(values.lifetime);
    if (!Number.isInteger(seconds) || seconds <= 0) {
      throw usageError(
        `--lifetime must be a positive whole number of seconds, got "${values.lifetime}".`,
      );
    }
    body.lifetimeSeconds = seconds;
  }
  if (values.alg !== undefined) {
    if (values.alg !== 'RS256' && values.alg !== 'ES256')
      throw usageError('--alg must be RS256 or ES256.');
    body.alg = values.alg;
  }
  if (values.issuer !== undefined) body.issuer = values.issuer;

  const control = controlUrl(values.control ?? io.env.WIF_SANDBOX_CONTROL);
  let response: Response;
  try {
    response = await fetch(new URL('/tokens', control), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new WifError(
      'network',
      `The sandbox control server at ${control} did not answer (${cause}).`,
      {
        fix: 'Start `wif sandbox` and export the WIF_SANDBOX_CONTROL it prints.',
        cause: error,
      },
    );
  }
  const answer = (await response.json().catch(() => ({}))) as { token?: unknown; error?: unknown };
  if (response.status !== 200 || typeof answer.token !== 'string') {
    const reason = typeof answer.error === 'string' ? answer.error : `HTTP ${response.status}`;
    throw new WifError(
      response.status === 400 ? 'usage' : 'service',
      `The sandbox refused the token: ${reason}`,
      {
        fix: 'Check the flags against `wif sandbox --help`.',
      },
    );
  }
  io.stdout(`${answer.token}\n`);
  return 0;
}

/** POSIX single quotes: nothing inside is special except the quote itself. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * Written 0600 and atomically (src/core/credentials/secret-files.ts): the help tells users to
 * source the file once it exists, so it must never exist half-written.
 */
async function writePrivateFile(path: string, text: string): Promise<void> {
  try {
    await writeFileAtomically(path, text);
  } catch (error) {
    const reason = error instanceof WifError ? error.message : String(error);
    throw new WifError('io', reason, {
      fix: 'Pass --write-env a path in a writable directory.',
      cause: error,
    });
  }
}

function readFaultFlag(flag: string): { emulator: string; settings: Partial<FaultSettings> } {
  try {
    return parseFaultFlag(flag);
  } catch (error) {
    throw usageError(error instanceof Error ? `${error.message}.` : String(error));
  }
}

function readPort(raw: string, count: number): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port + count > 65535) {
    throw usageError(`--port must leave room for ${count + 1} ports below 65536, got "${raw}".`);
  }
  return port;
}

function controlUrl(raw: string | undefined): string {
  if (raw === undefined || raw === '') {
    throw usageError(
      'No running sandbox: WIF_SANDBOX_CONTROL is not set and no --control was given.',
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usageError(`The control URL "${shownUrl(raw)}" is not a URL.`);
  }
  // The control server only ever listens on loopback; refuse to send requests anywhere else.
  if (url.protocol !== 'http:' || url.hostname !== '127.0.0.1') {
    throw usageError(`The control URL "${shownUrl(raw)}" is not http://127.0.0.1:<port>.`);
  }
  return url.origin;
}

function usageError(message: string): WifError {
  return new WifError('usage', message, { fix: 'Run `wif sandbox --help` for the options.' });
}
