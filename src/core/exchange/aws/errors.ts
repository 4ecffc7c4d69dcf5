import { WifError } from '../../errors.ts';
import { redact } from '../../redact.ts';
import { optionSetting, type FrontDoor } from '../options.ts';

/**
 * STS errors sorted into permanent (a refusal that another attempt cannot change) and transient
 * (throttling, the IdP's JWKS briefly unreachable, 5xx, the network). Codes and classes follow
 * the STS API reference; SDK messages are scrubbed because they can echo request fields.
 */
const PERMANENT_FIX: Readonly<Record<string, string | ((door: FrontDoor) => string)>> = {
  AccessDenied: (door) =>
    `The role's trust policy does not accept this token; to see which condition fails, run \`wif explain\` with the token and the role's trust policy, or add ${optionSetting(door, 'explain-on-failure', 'FILE')}.`,
  InvalidIdentityToken:
    "Check the IAM OIDC provider for this issuer exists in the role's account and lists this audience as a client ID.",
  InvalidIdentityTokenException:
    "Check the IAM OIDC provider for this issuer exists in the role's account and lists this audience as a client ID.",
  ExpiredTokenException:
    'The OIDC token expired before STS saw it; fetch it right before the exchange (check the runner clock).',
  IDPRejectedClaim: 'The identity provider rejected a claim of the token.',
  IDPRejectedClaimException: 'The identity provider rejected a claim of the token.',
  ValidationError:
    'Fix the request parameter named in the message (duration, session name, policy size).',
  MalformedPolicyDocument: 'Fix the inline session policy JSON.',
  MalformedPolicyDocumentException: 'Fix the inline session policy JSON.',
  PackedPolicyTooLarge: 'Shorten the session policies or tags.',
  PackedPolicyTooLargeException: 'Shorten the session policies or tags.',
  RegionDisabledException:
    'Activate STS in this region (IAM account settings) or use another region.',
  InvalidClientTokenId: 'The session credentials used for role chaining are not valid.',
  SignatureDoesNotMatch: 'The request signature was rejected; check the system clock.',
};

const TRANSIENT = new Set([
  'Throttling',
  'ThrottlingException',
  'IDPCommunicationError',
  'IDPCommunicationErrorException',
  'RequestTimeout',
  'InternalFailure',
  'ServiceUnavailable',
]);

interface SdkLikeError {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly Code?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $retryable?: unknown;
}

/** `door`: the front door the options came through, whose syntax a fix names options in. */
export function classifyStsError(
  error: unknown,
  operation: string,
  roleArn: string,
  door: FrontDoor,
): WifError {
  if (error instanceof WifError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkLikeError;
  const name = typeof e.Code === 'string' ? e.Code : typeof e.name === 'string' ? e.name : 'Error';
  const message = redact(typeof e.message === 'string' ? e.message : String(error));
  const status = e.$metadata?.httpStatusCode;
  const networkCode = typeof e.code === 'string' ? e.code : undefined;

  if (
    status === undefined &&
    (networkCode !== undefined ||
      name === 'TimeoutError' ||
      /socket|ECONN|ETIMEDOUT|EAI_AGAIN|network/i.test(message))
  ) {
    return new WifError(
      'network',
      `Could not reach AWS STS for ${operation}: ${networkCode ?? name}: ${message}`,
      {
        fix: 'Check the STS endpoint, proxy and network path.',
        transient: true,
        cause: error,
      },
    );
  }
  const transient =
    TRANSIENT.has(name) || e.$retryable !== undefined || (status !== undefined && status >= 500);
  const known = PERMANENT_FIX[name];
  const fix = typeof known === 'function' ? known(door) : known;
  const code =
    name === 'AccessDenied' ||
    name.startsWith('InvalidIdentityToken') ||
    name.startsWith('IDPRejectedClaim')
      ? 'denied'
      : 'service';
  return new WifError(code, `AWS STS ${operation} for ${roleArn} failed: ${name}: ${message}`, {
    ...(fix === undefined
      ? transient
        ? { fix: 'A transient AWS failure; retried until the deadline.' }
        : {}
      : { fix }),
    transient,
    cause: error,
  });
}
