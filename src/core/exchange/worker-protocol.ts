import type { CredentialSet } from '../credentials/credential-set.ts';
import { WifError, type ErrorCode } from '../errors.ts';
import type { TargetSpec } from './registry.ts';
import type { TargetToken, ToolLogin } from './target.ts';

/**
 * What the main thread and an exchange worker say to each other. Everything here is plain data
 * (structured clone): the target as its front door gave it, tokens as strings, the credential
 * set, and errors flattened to what a front door prints. Tokens are obtained on the main
 * thread only, where the platform's masker and the early token request live.
 */

/** Handed to the worker at start (`workerData`). */
export interface ExchangeJob {
  readonly target: TargetSpec;
  /** The refresher's token file for the target's audience, in refresh mode. */
  readonly refreshTokenFile: string | undefined;
  readonly audience: string;
  readonly wifCommand: readonly string[];
}

/** Worker → main thread. */
export type WorkerMessage =
  | { readonly kind: 'started'; readonly threadId: number }
  | { readonly kind: 'token-wanted'; readonly id: number; readonly audience: string }
  | { readonly kind: 'log'; readonly line: string }
  | { readonly kind: 'login-attempted'; readonly tool: ToolLogin }
  | { readonly kind: 'done'; readonly set: CredentialSet }
  | { readonly kind: 'failed'; readonly error: SerialisedError };

/** Main thread → worker: the answer to `token-wanted`. */
export type TokenAnswer =
  | { readonly kind: 'token'; readonly id: number; readonly token: TargetToken }
  | { readonly kind: 'token-failed'; readonly id: number; readonly error: SerialisedError };

/** A thrown value as a front door prints it: a WifError keeps code, message, fix and transience. */
export type SerialisedError =
  | {
      readonly kind: 'wif';
      readonly code: ErrorCode;
      readonly message: string;
      readonly fix: string | undefined;
      readonly transient: boolean;
    }
  | { readonly kind: 'other'; readonly message: string };

export function serialiseError(error: unknown): SerialisedError {
  if (error instanceof WifError)
    return {
      kind: 'wif',
      code: error.code,
      message: error.message,
      fix: error.fix,
      transient: error.transient,
    };
  return { kind: 'other', message: error instanceof Error ? error.message : String(error) };
}

export function reviveError(error: SerialisedError): Error {
  if (error.kind === 'other') return new Error(error.message);
  return new WifError(error.code, error.message, {
    ...(error.fix === undefined ? {} : { fix: error.fix }),
    transient: error.transient,
  });
}
