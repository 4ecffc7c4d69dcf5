import { WifError } from './errors.ts';

/**
 * Retries an operation while it fails transiently, with full-jitter exponential backoff, under
 * one overall deadline. Permanent failures (anything not marked transient) fail at once: a
 * refused trust policy does not get better by asking twelve times.
 */
export interface RetryOptions {
  /** Total time budget for all attempts, in milliseconds. */
  readonly deadlineMs: number;
  /** Maximum number of attempts, including the first. */
  readonly maxAttempts: number;
  /** First backoff ceiling in milliseconds; doubles each attempt up to `maxDelayMs`. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** What the operation is, for the timeout message ("requesting the GitHub OIDC token"). */
  readonly what: string;
  readonly isTransient?: (error: unknown) => boolean;
  readonly random?: () => number;
  readonly signal?: AbortSignal;
  readonly onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

export function isTransientError(error: unknown): boolean {
  return error instanceof WifError && error.transient;
}

export async function withRetry<T>(
  operation: (signal: AbortSignal, attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const isTransient = options.isTransient ?? isTransientError;
  const random = options.random ?? Math.random;
  const base = options.baseDelayMs ?? 200;
  const maxDelay = options.maxDelayMs ?? 5_000;
  const deadline = AbortSignal.timeout(options.deadlineMs);
  const signal =
    options.signal === undefined ? deadline : AbortSignal.any([deadline, options.signal]);
  const started = Date.now();

  for (let attempt = 1; ; attempt++) {
    try {
      return await raceAbort(operation(signal, attempt), signal);
    } catch (error) {
      if (signal.aborted) throw timeoutError(options, error);
      if (!isTransient(error) || attempt >= options.maxAttempts) throw error;
      const ceiling = Math.min(maxDelay, base * 2 ** (attempt - 1));
      const delayMs = Math.round(random() * ceiling);
      const left = options.deadlineMs - (Date.now() - started);
      if (delayMs >= left) throw error;
      options.onRetry?.({ attempt, delayMs, error });
      const slept = await sleep(delayMs, signal).then(
        () => true,
        () => false,
      );
      if (!slept) throw timeoutError(options, error);
    }
  }
}

function timeoutError(options: RetryOptions, last: unknown): WifError {
  const lastLine = last instanceof Error ? ` Last error: ${last.message}` : '';
  return new WifError(
    'timeout',
    `Gave up ${options.what} after ${Math.round(options.deadlineMs / 1000)}s.${lastLine}`,
    { fix: 'Check the network path to the service, or raise the timeout.', cause: last },
  );
}

/** Operations that ignore the signal still cannot outlive the deadline. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(abortReason(signal));
      },
      { once: true },
    );
  });
}
