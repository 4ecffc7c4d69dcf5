import type { TokenVerification, VerifyOptions } from '../verify-token.ts';
import type { AwsStsConfig, Role } from './config.ts';
import type { Session, SessionStore } from './sessions.ts';
import { stsError, type StsError } from './sts-error.ts';
import type { XmlElement } from './xml.ts';
import { maxSessionTokenBytes } from './params.ts';

/** What every action handler reads: the validated config, the issued sessions, the clock. */
export interface StsState {
  readonly config: AwsStsConfig;
  readonly sessions: SessionStore;
  readonly now: () => Date;
  readonly verifyToken: (token: string, options: VerifyOptions) => Promise<TokenVerification>;
  readonly log: (line: string) => void;
}

export type ActionOutcome =
  | { readonly ok: true; readonly result: XmlElement }
  | { readonly ok: false; readonly error: StsError };

export function findRole(state: StsState, arn: string): Role | undefined {
  return state.config.roles.find((role) => role.arn.arn === arn);
}

/** `Credentials` and `AssumedRoleUser` as every Assume* result carries them. */
export function sessionResult(session: Session): XmlElement {
  return {
    Credentials: {
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: session.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
    AssumedRoleUser: { Arn: session.assumedRoleArn, AssumedRoleId: session.assumedRoleId },
  };
}

/**
 * `SessionTokenSize` (bytes) and `SessionTokenUtilization` (percent of the largest token STS
 * issues). The 2026 STS model caps `MinimumSessionTokenSize` at 4,096 bytes; the sandbox takes
 * that cap as the maximum token size, which the API reference does not state in so many words.
 */
export function sessionTokenFields(session: Session): XmlElement {
  const size = Buffer.byteLength(session.sessionToken);
  return {
    SessionTokenUtilization: Math.min(100, Math.ceil((size * 100) / maxSessionTokenBytes)),
    SessionTokenSize: size,
  };
}

/**
 * `PackedPolicySize`: the session policy's share of the allowed space, in percent. AWS packs
 * (compresses) policies before measuring; the sandbox measures the plaintext against the
 * documented 2,048-character limit, which is never smaller than the packed size.
 */
export function packedPolicySize(
  policy: string | undefined,
  policyArns: readonly string[],
): number | undefined {
  if (policy === undefined && policyArns.length === 0) return undefined;
  const compact = policy === undefined ? '' : JSON.stringify(JSON.parse(policy));
  const used = compact.length + policyArns.reduce((sum, arn) => sum + arn.length, 0);
  return Math.max(1, Math.ceil((used * 100) / 2048));
}

/**
 * The limits every session request meets after trust is settled, whichever action asked:
 * the role's MaxSessionDuration and the packed size of the session policies (which the
 * answer then reports as `PackedPolicySize`).
 */
export function checkSessionLimits(
  role: Role,
  durationSeconds: number,
  request: { readonly policy: string | undefined; readonly policyArns: readonly string[] },
):
  | { readonly ok: false; readonly error: StsError }
  | { readonly ok: true; readonly packed: number | undefined } {
  if (durationSeconds > role.maxSessionDuration) {
    return {
      ok: false,
      error: stsError(
        'ValidationError',
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      ),
    };
  }
  const packed = packedPolicySize(request.policy, request.policyArns);
  if (packed !== undefined && packed > 100) {
    return {
      ok: false,
      error: stsError(
        'PackedPolicyTooLarge',
        `Packed size of session policies and session tags consumes ${packed}% of allotted space.`,
      ),
    };
  }
  return { ok: true, packed };
}
