import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WifError } from '../core/errors.ts';
import type { SandboxConfig } from './config.ts';
import { startControlServer, type ControlledEmulator } from './control.ts';
import type { EmulatorDefinition, RunningEmulator } from './emulator.ts';
import { emulators as registry } from './emulators.ts';
import { FaultInjector, type FaultSettings } from './faults.ts';
import { issuerEmulator, type RunningIssuer } from './oidc/emulator.ts';
import type { IssuerHandle, IssuerJob } from './oidc/issuer.ts';

export interface SandboxOptions {
  /** Sections by emulator name; absent sections mean defaults. Default: no sections. */
  readonly config?: SandboxConfig;
  /** Ports by emulator name, plus `control`; anything absent gets an ephemeral port. */
  readonly ports?: Readonly<Record<string, number>>;
  /** Initial fault settings, as `wif sandbox --fault` parses them; later entries win. */
  readonly faults?: readonly {
    readonly emulator: string;
    readonly settings: Partial<FaultSettings>;
  }[];
  readonly log?: (line: string) => void;
  /** The emulators to run after the issuer. Default: the registry in `emulators.ts`. */
  readonly emulators?: readonly EmulatorDefinition[];
}

export interface Sandbox {
  /** Every emulator's variables, plus `WIF_SANDBOX_CONTROL`. */
  readonly env: Readonly<Record<string, string>>;
  /** Base URLs by emulator name, then by role. */
  readonly urls: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly issuer: IssuerHandle;
  /** The jobs the issuer section configured; the first is the one in `env`. */
  readonly jobs: readonly IssuerJob[];
  readonly controlUrl: string;
  readonly faults: ReadonlyMap<string, FaultInjector>;
  /** Closes every server and removes the state directory; leaves no port listening. */
  close(): Promise<void>;
}

/**
 * Starts the sandbox in this process, all on 127.0.0.1: the issuer first, then each emulator
 * with its config section, its own fault injector, the issuer URL and a private state dir,
 * then the control server. A failure part-way closes what had started.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const log = options.log ?? (() => undefined);
  const config = options.config ?? {};
  const others = (options.emulators ?? registry).filter((e) => e.name !== issuerEmulator.name);
  const all: readonly EmulatorDefinition[] = [issuerEmulator, ...others];
  const names = all.map((e) => e.name);

  const unknownSection = Object.keys(config).find((name) => !names.includes(name));
  if (unknownSection !== undefined) {
    throw usage(
      `The sandbox config has a section "${unknownSection}" but no emulator has that name (${names.join(', ')}).`,
    );
  }
  const faults = new Map(all.map((e) => [e.name, new FaultInjector(e.name)]));
  for (const { emulator, settings } of options.faults ?? []) {
    const injector = faults.get(emulator);
    if (injector === undefined) {
      throw usage(`--fault names "${emulator}", which is not an emulator (${names.join(', ')}).`);
    }
    try {
      injector.set(settings);
    } catch (error) {
      throw usage(
        `--fault ${emulator}: ${error instanceof Error ? error.message : String(error)}.`,
      );
    }
  }

  const stateRoot = await mkdtemp(join(tmpdir(), 'wif-sandbox-'));
  await chmod(stateRoot, 0o700);
  const running: RunningEmulator[] = [];
  const closeAll = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const emulator of [...running].reverse()) {
      await emulator.close().catch((error: unknown) => errors.push(error));
    }
    running.length = 0;
    await rm(stateRoot, { recursive: true, force: true });
    if (errors.length > 0) throw errors[0];
  };

  try {
    const context = async (definition: EmulatorDefinition, issuerUrl: string | undefined) => {
      const stateDir = join(stateRoot, definition.name);
      await mkdir(stateDir, { mode: 0o700 });
      return {
        host: '127.0.0.1' as const,
        port: options.ports?.[definition.name] ?? 0,
        config: config[definition.name],
        issuerUrl,
        stateDir,
        log: (line: string) => {
          log(line.startsWith(`${definition.name}:`) ? line : `${definition.name}: ${line}`);
        },
        faults: faults.get(definition.name) ?? new FaultInjector(definition.name),
      };
    };
    const issuer: RunningIssuer = await issuerEmulator.start(
      await context(issuerEmulator, undefined),
    );
    running.push(issuer);
    for (const definition of others) {
      running.push(await definition.start(await context(definition, issuer.issuer.url)));
    }

    const env: Record<string, string> = {};
    for (const emulator of running) {
      for (const [name, value] of Object.entries(emulator.env)) {
        if (name in env) {
          throw new WifError(
            'internal',
            `Two emulators export ${name}; each variable must have one owner.`,
          );
        }
        env[name] = value;
      }
    }
    const summaries = new Map(all.map((e) => [e.name, e.summary]));
    const controlled: ControlledEmulator[] = running.map((e) => ({
      name: e.name,
      summary: summaries.get(e.name) ?? '',
      urls: e.urls,
      faults: faults.get(e.name) ?? new FaultInjector(e.name),
    }));
    const control = await startControlServer({
      port: options.ports?.control ?? 0,
      emulators: controlled,
      issuer: issuer.issuer,
    });
    running.push({
      name: 'control',
      urls: { control: control.url },
      env: {},
      close: () => control.close(),
    });
    env.WIF_SANDBOX_CONTROL = control.url;

    return {
      env,
      urls: Object.fromEntries(running.map((e) => [e.name, e.urls])),
      issuer: issuer.issuer,
      jobs: issuer.jobs,
      controlUrl: control.url,
      faults,
      close: closeAll,
    };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}

/** Ports for `--port N`: the control server on N, then each emulator in start order. */
export function sequentialPorts(base: number, names: readonly string[]): Record<string, number> {
  const ports: Record<string, number> = { control: base };
  names.forEach((name, i) => {
    ports[name] = base + 1 + i;
  });
  return ports;
}

function usage(message: string): WifError {
  return new WifError('usage', message, {
    fix: 'Run `wif sandbox --help` for the emulator names and knobs.',
  });
}
