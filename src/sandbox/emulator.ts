import type { FaultInjector } from './faults.ts';

/**
 * The contract every sandbox emulator implements. `wif sandbox` starts the OIDC issuer first
 * (the others verify tokens against its discovery document and JWKS), then every other
 * emulator listed in `src/sandbox/emulators.ts`, all in one process on 127.0.0.1.
 */
export interface EmulatorContext {
  /** Always 127.0.0.1: emulators never bind anything else. */
  readonly host: '127.0.0.1';
  /** Port to bind, 0 for an ephemeral one. */
  readonly port: number;
  /** The emulator's section of the sandbox config file, if any (validated by the emulator). */
  readonly config: unknown;
  /** Base URL of the running OIDC issuer (`iss` of every sandbox token). Undefined only for the issuer itself. */
  readonly issuerUrl: string | undefined;
  /** A directory the emulator may write files into (CA certificates, sockets); removed on stop. */
  readonly stateDir: string;
  readonly log: (line: string) => void;
  /** This emulator's fault knobs; consult `faults.decide()` once per request. */
  readonly faults: FaultInjector;
}

export interface RunningEmulator {
  readonly name: string;
  /** Base URLs by role, e.g. `{ sts: 'http://127.0.0.1:4101/' }`. */
  readonly urls: Readonly<Record<string, string>>;
  /** Variables a shell or test exports to point clients at this emulator. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export interface EmulatorDefinition {
  readonly name: string;
  readonly summary: string;
  start(context: EmulatorContext): Promise<RunningEmulator>;
}
