/**
 * STS errors as values. Each code carries the HTTP status and fault type the STS API reference
 * documents for it ("AssumeRoleWithWebIdentity — Errors", "AssumeRole — Errors", "Common
 * Errors"); handlers return an StsError and the server renders it as an `<ErrorResponse>`.
 */
export interface StsError {
  readonly code: string;
  readonly status: number;
  /** `Sender` for the caller's mistakes, `Receiver` for the service's own failures. */
  readonly type: 'Sender' | 'Receiver';
  readonly message: string;
}

interface CodeInfo {
  readonly status: number;
  readonly type: 'Sender' | 'Receiver';
  /** What STS says when there is nothing more specific to say. */
  readonly message: string;
}

const documented = {
  InvalidIdentityToken: {
    status: 400,
    type: 'Sender',
    message: 'The web identity token that was passed could not be validated by AWS.',
  },
  ExpiredTokenException: {
    status: 400,
    type: 'Sender',
    message: 'The web identity token that was passed is expired or is not valid.',
  },
  IDPRejectedClaim: {
    status: 403,
    type: 'Sender',
    message: 'The identity provider (IdP) reported that authentication failed.',
  },
  IDPCommunicationError: {
    status: 400,
    type: 'Sender',
    message:
      "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
  },
  AccessDenied: {
    status: 403,
    type: 'Sender',
    message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
  },
  ValidationError: { status: 400, type: 'Sender', message: 'The request is invalid.' },
  MalformedPolicyDocument: {
    status: 400,
    type: 'Sender',
    message: 'The policy document is malformed.',
  },
  PackedPolicyTooLarge: {
    status: 400,
    type: 'Sender',
    message:
      'Packed size of session policies and session tags consumes more than the allotted space.',
  },
  RegionDisabledException: {
    status: 403,
    type: 'Sender',
    message:
      'STS is not activated in the requested region for the account that is being asked to generate credentials.',
  },
  Throttling: { status: 400, type: 'Sender', message: 'Rate exceeded' },
  InvalidAction: {
    status: 400,
    type: 'Sender',
    message: 'The action or operation requested is invalid.',
  },
  MissingAction: {
    status: 400,
    type: 'Sender',
    message: 'The request is missing an action or a required parameter.',
  },
  MissingAuthenticationToken: {
    status: 403,
    type: 'Sender',
    message: 'Request is missing Authentication Token',
  },
  IncompleteSignature: {
    status: 400,
    type: 'Sender',
    message: 'The request signature does not conform to AWS standards.',
  },
  InvalidClientTokenId: {
    status: 403,
    type: 'Sender',
    message: 'The security token included in the request is invalid.',
  },
  ExpiredToken: {
    status: 400,
    type: 'Sender',
    message: 'The security token included in the request is expired',
  },
  SignatureDoesNotMatch: {
    status: 403,
    type: 'Sender',
    message:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  },
  InternalFailure: {
    status: 500,
    type: 'Receiver',
    message: 'The request processing has failed because of an unknown error, exception or failure.',
  },
  ServiceUnavailable: {
    status: 503,
    type: 'Receiver',
    message: 'The request has failed due to a temporary failure of the server.',
  },
} as const satisfies Record<string, CodeInfo>;

export type StsErrorCode = keyof typeof documented;

export const stsErrorCodes: readonly StsErrorCode[] = Object.keys(documented) as StsErrorCode[];

export function isStsErrorCode(code: string): code is StsErrorCode {
  return Object.hasOwn(documented, code);
}

export function stsError(code: StsErrorCode, message?: string): StsError {
  const info: CodeInfo = documented[code];
  return { code, status: info.status, type: info.type, message: message ?? info.message };
}

/** AWS's wording for parameter-constraint failures, one clause per violated constraint. */
export function validationError(violations: readonly string[]): StsError {
  const count = violations.length;
  const head = `${count} validation error${count === 1 ? '' : 's'} detected: `;
  return stsError('ValidationError', head + violations.join('; '));
}
