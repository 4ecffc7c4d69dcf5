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

/**
 * `error` with `hide` applied to all a front door can print of it: a WifError's message and
 * fix; any other error's message, and its stack (printed in debug mode). The copy has no cause,
 * which still holds the text unhidden; anything else is kept (a WifError's code, whether it is
 * transient; a raw error stays a raw error, reported as a bug).
 */
export function redactedError(error: unknown, hide: (text: string) => string): Error {
  if (isWifError(error))
    return new WifError(error.code, hide(error.message), {
      ...(error.fix === undefined ? {} : { fix: hide(error.fix) }),
      transient: error.transient,
    });
  if (!(error instanceof Error)) return new Error(hide(String(error)));
  const copy = new Error(hide(error.message));
  copy.name = error.name;
  if (error.stack !== undefined) copy.stack = hide(error.stack);
  return copy;
}

/** Turns anything thrown into one printable line without a stack trace. */
export function describeError(error: unknown): string {
  const line = isWifError(error)
    ? error.oneLine()
    : `internal error: ${error instanceof Error ? error.message : String(error)}`;
  // One line, scrubbed: SDK messages can span lines and echo tokens.
  return redact(line.replace(/\s*\n\s*/g, ' '));
}

/**
 * Exit codes shared by every CLI command: 0 ok; 1 refused, where only a change of
 * configuration helps (a trust or service refusal another attempt cannot change, a token that
 * is missing or fails a pre-flight check); 2 usage; 3 anything else (network, deadlines,
 * transient failures that outlived their retries, local I/O, bugs), where trying again may.
 */
export const ExitCode = { ok: 0, denied: 1, usage: 2, failure: 3 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeFor(error: unknown): ExitCode {
  if (!isWifError(error)) return ExitCode.failure;
  switch (error.code) {
    case 'usage':
      return ExitCode.usage;
    case 'denied':
    case 'token-missing':
    case 'token-invalid':
      return ExitCode.denied;
    case 'service':
      return error.transient ? ExitCode.failure : ExitCode.denied;
    default:
      return ExitCode.failure;
  }
}
