import { describe, expect, it } from 'vitest';
import {
  classifyGoogleError,
  type GoogleErrorContext,
} from '../../../src/core/exchange/gcp/errors.ts';
import { ACTION_INPUTS, CLI_FLAGS } from '../../../src/core/exchange/options.ts';
import { EXPLAIN_ON_FAILURE_BY_DOOR } from '../../support/front-doors.ts';

const sts: GoogleErrorContext = {
  operation: 'STS token exchange',
  resource: 'projects/1/locations/global/workloadIdentityPools/p/providers/x',
  audience: 'https://iam.googleapis.com/projects/1/…',
  door: ACTION_INPUTS,
};
const iam: GoogleErrorContext = {
  operation: 'generateAccessToken',
  resource: 'sa@p.iam.gserviceaccount.com',
  poolResource: 'projects/1/locations/global/workloadIdentityPools/p',
  door: ACTION_INPUTS,
};

function answered(status: number, data: unknown): Error {
  return Object.assign(new Error(`Request failed with status code ${status}`), {
    response: { status, data },
  });
}

describe('Google error classification', () => {
  const permanent: [string, Error, GoogleErrorContext, string][] = [
    [
      'invalid_grant (audience mismatch)',
      answered(400, {
        error: 'invalid_grant',
        error_description: 'The audience in JWT does not match the expected values.',
      }),
      sts,
      'denied',
    ],
    [
      'unauthorized_client (condition)',
      answered(400, {
        error: 'unauthorized_client',
        error_description: 'The given credential is rejected by the attribute condition.',
      }),
      sts,
      'denied',
    ],
    [
      'invalid_target (no such provider)',
      answered(400, {
        error: 'invalid_target',
        error_description: 'The target service indicated by the "audience" parameters is invalid.',
      }),
      sts,
      'denied',
    ],
    [
      'invalid_request',
      answered(400, {
        error: 'invalid_request',
        error_description: 'Invalid value for "audience".',
      }),
      sts,
      'service',
    ],
    [
      'PERMISSION_DENIED',
      answered(403, {
        error: {
          code: 403,
          status: 'PERMISSION_DENIED',
          message:
            "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
        },
      }),
      iam,
      'denied',
    ],
    [
      'INVALID_ARGUMENT (lifetime)',
      answered(400, {
        error: {
          code: 400,
          status: 'INVALID_ARGUMENT',
          message: 'can not have lifetimes of more than 1 hour.',
        },
      }),
      iam,
      'service',
    ],
  ];
  it.each(permanent)('%s is permanent', (_name, error, context, code) => {
    const classified = classifyGoogleError(error, context);
    expect(classified.transient).toBe(false);
    expect(classified.code).toBe(code);
    expect(classified.fix).toBeDefined();
  });

  const transient: [string, Error][] = [
    [
      '429 RESOURCE_EXHAUSTED',
      answered(429, {
        error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded.' },
      }),
    ],
    [
      '503 UNAVAILABLE',
      answered(503, {
        error: {
          code: 503,
          status: 'UNAVAILABLE',
          message: 'The service is currently unavailable.',
        },
      }),
    ],
    ['500 without a body', answered(500, '<html>oops</html>')],
    [
      'a reset connection',
      Object.assign(new Error('request to http://127.0.0.1/v1/token failed'), {
        cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      }),
    ],
    ['a refused connection', Object.assign(new Error('fetch failed'), { code: 'ECONNREFUSED' })],
  ];
  it.each(transient)('%s is transient', (_name, error) => {
    expect(classifyGoogleError(error, sts).transient).toBe(true);
  });

  it('never echoes a token the error carries', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm8vciJ9.c2lnbmF0dXJlc2lnbmF0dXJl';
    const error = answered(400, { error: 'invalid_grant', error_description: `bad token ${jwt}` });
    expect(classifyGoogleError(error, sts).oneLine()).not.toContain(jwt);
  });

  it('names the principal to grant when impersonation is refused', () => {
    const error = answered(403, { error: { status: 'PERMISSION_DENIED', message: 'denied' } });
    expect(classifyGoogleError(error, iam).oneLine()).toMatch(
      /Grant roles\/iam\.workloadIdentityUser on sa@p\.iam\.gserviceaccount\.com .*principalSet:\/\/iam\.googleapis\.com\/projects\/1\/locations\/global\/workloadIdentityPools\/p\/attribute\.repository\/OWNER\/REPO/,
    );
  });

  it.each(EXPLAIN_ON_FAILURE_BY_DOOR)(
    'a trust refusal points at explain-on-failure the way the front door sets it (%j)',
    (door, setting) => {
      const grant = answered(400, { error: 'invalid_grant', error_description: 'bad audience' });
      expect(classifyGoogleError(grant, { ...sts, door }).fix).toContain(
        `; to see which check fails, run \`wif explain\` or add ${setting}.`,
      );
      const condition = answered(400, {
        error: 'unauthorized_client',
        error_description: 'rejected by the attribute condition',
      });
      expect(classifyGoogleError(condition, { ...sts, door }).fix).toBe(
        `The provider's attribute condition or mapping rejected this token; to see which claim fails, run \`wif explain\` or add ${setting}.`,
      );
    },
  );

  it.each([
    [CLI_FLAGS, '--access-token-lifetime 3600', '--sts-endpoint', '--workload-identity-provider'],
    [
      ACTION_INPUTS,
      'access-token-lifetime: 3600',
      'input "sts-endpoint"',
      'input "workload-identity-provider"',
    ],
    [
      { kind: 'file', file: 'wif.yaml', target: 'prod' } as const,
      'access-token-lifetime: 3600 (in targets.prod)',
      'targets.prod.sts-endpoint',
      'targets.prod.workload-identity-provider',
    ],
  ])("names options in the front door's syntax (%j)", (door, lifetime, endpoint, provider) => {
    const tooLong = answered(400, {
      error: { status: 'INVALID_ARGUMENT', message: 'The lifetime must be at most 3600s' },
    });
    expect(classifyGoogleError(tooLong, { ...iam, door }).fix).toContain(`Use ${lifetime} or less`);
    const unauthenticated = answered(401, { error: { status: 'UNAUTHENTICATED', message: 'no' } });
    expect(classifyGoogleError(unauthenticated, { ...iam, door }).fix).toContain(
      `check that ${endpoint} and `,
    );
    const noProvider = answered(400, { error: 'invalid_target', error_description: 'not found' });
    expect(classifyGoogleError(noProvider, { ...sts, door }).fix).toContain(`check ${provider} (`);
  });
});
