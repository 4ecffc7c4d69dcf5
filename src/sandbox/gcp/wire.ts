/**
 * The two error shapes Google's token services answer with, and what the fault knobs look like
 * on the wire. STS speaks OAuth 2.0 (RFC 6749 §5.2: `{error, error_description}`); IAM
 * Credentials and every quota or availability failure speak the Google API error envelope
 * (https://cloud.google.com/apis/design/errors: `{error: {code, message, status, details}}`).
 */
export interface WireResponse {
  readonly status: number;
  readonly body: unknown;
}

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_grant'
  | 'invalid_target'
  | 'unauthorized_client'
  | 'invalid_client'
  | 'invalid_scope'
  | 'unsupported_grant_type'
  | 'invalid_token';

const oauthCodes: readonly string[] = [
  'invalid_request',
  'invalid_grant',
  'invalid_target',
  'unauthorized_client',
  'invalid_client',
  'invalid_scope',
  'unsupported_grant_type',
  'invalid_token',
];

/** google.rpc.Code names and the HTTP status Google maps each to. */
const httpStatusOf = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ABORTED: 409,
  ALREADY_EXISTS: 409,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UNKNOWN: 500,
  DATA_LOSS: 500,
  NOT_IMPLEMENTED: 501,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
} as const;

export type GoogleStatus = keyof typeof httpStatusOf;

export function oauthError(error: OAuthErrorCode, description: string): WireResponse {
  // Google's STS answers every OAuth-style refusal with HTTP 400, unauthorized_client included.
  return { status: 400, body: { error, error_description: description } };
}

export function googleError(
  status: GoogleStatus,
  message: string,
  details: readonly unknown[] = [],
): WireResponse {
  const code = httpStatusOf[status];
  const error =
    details.length === 0 ? { code, message, status } : { code, message, status, details };
  return { status: code, body: { error } };
}

/** A `google.rpc.ErrorInfo` detail, as Google attaches to permission and quota errors. */
export function errorInfo(
  reason: string,
  domain: string,
  metadata: Readonly<Record<string, string>>,
): unknown {
  return { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain, metadata };
}

/**
 * A JSON body the transcoding layer cannot map onto the request message. Google rejects it
 * before the service sees it, so even STS answers in the envelope here, not in OAuth form.
 */
export function invalidJsonPayload(problem: string): WireResponse {
  const message = `Invalid JSON payload received. ${problem}`;
  return googleError('INVALID_ARGUMENT', message, [
    {
      '@type': 'type.googleapis.com/google.rpc.BadRequest',
      fieldViolations: [{ description: message }],
    },
  ]);
}

export type GcpService = 'sts' | 'iamcredentials' | 'oauth2';

/** The answer for `faults.decide()` = throttle: quota exhausted, which clients retry. */
export function throttledResponse(service: GcpService, projectNumber: string): WireResponse {
  const host = `${service}.googleapis.com`;
  return googleError(
    'RESOURCE_EXHAUSTED',
    `Quota exceeded for quota metric 'Requests' and limit 'Requests per minute' of service '${host}' for consumer 'project_number:${projectNumber}'.`,
    [
      errorInfo('RATE_LIMIT_EXCEEDED', 'googleapis.com', {
        service: host,
        consumer: `projects/${projectNumber}`,
        quota_metric: `${host}/requests`,
        quota_limit: 'RequestsPerMinutePerProject',
      }),
    ],
  );
}

/** Descriptions Google's STS is documented or observed to give for each OAuth error code. */
export const stsDescriptions = {
  audienceFormat:
    'Invalid value for "audience". This value should be the full resource name of the Identity Provider. See https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token for the list of possible formats.',
  unknownTarget:
    'The target service indicated by the "audience" parameters is invalid. This might either be because the pool or provider is disabled or deleted or because it doesn\'t exist.',
  audienceMismatch: 'The audience in JWT does not match the expected values.',
  conditionRejected: 'The given credential is rejected by the attribute condition.',
  issuerUnreachable: "Error connecting to the given credential's issuer.",
  badSignature: 'Unable to verify the ID Token signature.',
} as const;

/**
 * The answer for `faults.decide()` = error. `code` may be an OAuth error code (STS answers it
 * in OAuth form with the description the real service gives for it) or a google.rpc status
 * name (answered in the envelope). No code means the service is briefly unavailable.
 */
export function injectedErrorResponse(code: string | undefined): WireResponse {
  if (code !== undefined && oauthCodes.includes(code)) {
    return oauthError(code as OAuthErrorCode, injectedDescription(code as OAuthErrorCode));
  }
  if (code !== undefined && Object.hasOwn(httpStatusOf, code)) {
    return googleError(code as GoogleStatus, injectedMessage(code as GoogleStatus));
  }
  return googleError('UNAVAILABLE', 'The service is currently unavailable.');
}

/** Whether `injectedErrorResponse` knows the code (anything else is answered as UNAVAILABLE). */
export function isKnownErrorCode(code: string): boolean {
  return oauthCodes.includes(code) || Object.hasOwn(httpStatusOf, code);
}

function injectedDescription(code: OAuthErrorCode): string {
  switch (code) {
    case 'invalid_request':
      return stsDescriptions.audienceFormat;
    case 'invalid_grant':
      return stsDescriptions.issuerUnreachable;
    case 'invalid_target':
      return stsDescriptions.unknownTarget;
    case 'unauthorized_client':
      return stsDescriptions.conditionRejected;
    case 'invalid_token':
      return 'Invalid Value';
    default:
      return `The request was refused (${code}).`;
  }
}

function injectedMessage(status: GoogleStatus): string {
  switch (status) {
    case 'PERMISSION_DENIED':
      return "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).";
    case 'UNAUTHENTICATED':
      return 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
    case 'UNAVAILABLE':
      return 'The service is currently unavailable.';
    case 'DEADLINE_EXCEEDED':
      return 'Deadline exceeded.';
    case 'RESOURCE_EXHAUSTED':
      return 'Quota exceeded.';
    case 'INVALID_ARGUMENT':
    case 'OUT_OF_RANGE':
      return 'Request contains an invalid argument.';
    case 'FAILED_PRECONDITION':
      return 'Precondition check failed.';
    case 'NOT_FOUND':
      return 'Requested entity was not found.';
    case 'ABORTED':
    case 'ALREADY_EXISTS':
      return 'The operation was aborted.';
    case 'CANCELLED':
      return 'The operation was cancelled.';
    case 'NOT_IMPLEMENTED':
      return 'Method not implemented.';
    default:
      return 'Internal error encountered.';
  }
}
