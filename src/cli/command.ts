/**
 * A `wif` subcommand. Each lives in `src/cli/commands/<name>.ts` and is imported lazily by
 * `src/cli/main.ts`, so a command only loads the SDKs it uses.
 */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); long-running commands await it. */
  readonly stopped: Promise<void>;
  /** Standard input as text, read only when a command asks for it (e.g. a `-` argument). */
  readonly readStdin: () => Promise<string>;
  /**
   * The running entry's `import.meta.url` (dist/cli.js when bundled), so a command can find the
   * bundled worker entries (src/core/workers/locate.ts); absent in tests that run commands
   * in-process.
   */
  readonly entryUrl?: string;
}

export interface Command {
  readonly name: string;
  /** One line for `wif --help`. */
  readonly summary: string;
  /** Full usage text for `wif <name> --help`. */
  readonly usage: string;
  /** Returns the process exit code; throws WifError for usage and operational failures. */
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}
