import { redact } from './redact.ts';

/**
 * Every failure a user can cause or fix is a WifError: a stable code, one line saying what is
 * wrong, and one saying how to fix it. Front doors print `message` (and `fix`) as a single line
 * and never a stack trace; anything that is not a WifError is a bug and is reported as one.
 */
export type ErrorCode =
  | 'usage' // bad flags, inputs or config
  | 'token-missing' // the platform gave us no token (permission, variable, file)
  | 'token-invalid' // the token is malformed or fails a pre-flight check
  | 'token-request-failed' // the platform's token endpoint refused or failed
  | 'network' // a transient transport failure that outlived its retries
  | 'timeout' // an overall deadline expired
  | 'io' // a local file could not be read or written safely
  | 'denied' // a trust configuration or service refused us
  | 'service' // a remote service answered with an error
  | 'internal';

export class WifError extends Error {
  override readonly name = 'WifError';
  readonly code: ErrorCode;
  /** What the user should do next; printed after the message. */
  readonly fix: string | undefined;
  /** Transient failures may be retried; permanent ones never are. */
  readonly transient: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    options: { fix?: string; transient?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.fix = options.fix;
    this.transient = options.transient ?? false;
  }

  /** The one line a front door prints. */
  oneLine(): string {
    return this.fix === undefined ? this.message : `${this.message} ${this.fix}`;
  }
}

export function isWifError(error: unknown): error is WifError {
  return error instanceof WifError;
}

/** Turns anything thrown into one printable line without a stack trace. */
export function describeError(error: unknown): string {
  const line = isWifError(error)
    ? error.oneLine()
    : `internal error: ${error instanceof Error ? error.message : String(error)}`;
  // One line, scrubbed: SDK messages can span lines and echo tokens.
  return redact(line.replace(/\s*\n\s*/g, ' '));
}

/** Exit codes shared by every CLI command: 0 ok, 1 a verdict said no, 2 usage, 3 failure. */
export const ExitCode = { ok: 0, denied: 1, usage: 2, failure: 3 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeFor(error: unknown): ExitCode {
  if (isWifError(error) && error.code === 'usage') return ExitCode.usage;
  if (isWifError(error) && error.code === 'denied') return ExitCode.denied;
  return ExitCode.failure;
}
