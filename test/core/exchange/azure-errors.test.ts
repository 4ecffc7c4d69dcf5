import { describe, expect, it } from 'vitest';
import {
  classifyEntraError,
  observeErrorBody,
  type EntraObservation,
} from '../../../src/core/exchange/azure/errors.ts';
import { ACTION_INPUTS } from '../../../src/core/exchange/options.ts';
import { EXPLAIN_ON_FAILURE_BY_DOOR } from '../../support/front-doors.ts';

const request = {
  clientId: '11111111-2222-4333-8444-555555555555',
  tenantId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  authorityHost: 'https://login.microsoftonline.com/',
  scope: 'https://management.azure.com/.default',
  claims: {
    iss: 'https://token.actions.githubusercontent.com',
    sub: 'repo:octo-org/octo-repo:environment:prod',
    aud: 'api://AzureADTokenExchange',
  },
  door: ACTION_INPUTS,
};

/** An Entra error body as the token endpoint documents it (error_codes plus a described AADSTS). */
function body(code: number, text: string): string {
  return JSON.stringify({
    error: 'invalid_client',
    error_description: `AADSTS${code}: ${text} Trace ID: 0000 Correlation ID: 1111 Timestamp: 2026-01-01 00:00:00Z`,
    error_codes: [code],
  });
}

function observed(status: number, code: number, text: string): EntraObservation {
  const seen: EntraObservation = { status };
  observeErrorBody(seen, body(code, text));
  return seen;
}

const sdkError = new Error(
  'invalid_client: Error(s): 70021 - Description: AADSTS70021: No matching federated identity record found for presented assertion. eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln',
);

describe('Entra ID error classification', () => {
  it('a missing federated credential (AADSTS70021) is a permanent refusal naming the presented claims', () => {
    const e = classifyEntraError(
      sdkError,
      observed(400, 70021, 'No matching federated identity record found for presented assertion.'),
      request,
    );
    expect(e.transient).toBe(false);
    expect(e.code).toBe('denied');
    expect(e.message).toBe(
      `Entra ID refused the token for app ${request.clientId} in tenant ${request.tenantId}: AADSTS70021: No matching federated identity record found for presented assertion.`,
    );
    expect(e.fix).toContain(
      "issuer 'https://token.actions.githubusercontent.com', subject 'repo:octo-org/octo-repo:environment:prod', audience 'api://AzureADTokenExchange'",
    );
  });

  it.each([
    [700211, 'denied', /trusts the issuer 'https:\/\/token\.actions\.githubusercontent\.com'/],
    [
      700213,
      'denied',
      /has the subject 'repo:octo-org\/octo-repo:environment:prod' \(matching is exact and case-sensitive\)/,
    ],
    [7002138, 'denied', /only when letter case is ignored/],
    [700024, 'denied', /expired \(or not yet valid\).*runner clock/],
    [700016, 'service', /must be registered .* in tenant/],
    [90002, 'service', /Check tenant-id, and environment/],
  ] as const)('AADSTS%i is permanent (%s) with a hint', (code, kind, hint) => {
    const e = classifyEntraError(new Error('x'), observed(400, code, 'Refused.'), request);
    expect(e.transient).toBe(false);
    expect(e.code).toBe(kind);
    expect(e.fix).toMatch(hint);
  });

  it('reads the AADSTS code from the SDK message when the wire was not observed', () => {
    const e = classifyEntraError(sdkError, {}, request);
    expect(e.transient).toBe(false);
    expect(e.message).toContain('AADSTS70021');
  });

  it.each([
    ['throttling (429)', { status: 429 }],
    ['a 5xx', { status: 503 }],
    ['AADSTS90006 (service unavailable)', { status: 400, aadsts: 90006 }],
    ['a refused connection', { networkCode: 'ECONNREFUSED' }],
    ['a reset connection', { networkCode: 'ECONNRESET' }],
    ['MSAL giving up without an answer', {}],
  ] as [string, EntraObservation][])('%s is transient', (_name, seen) => {
    expect(
      classifyEntraError(
        new Error('network_error: See https://aka.ms/msal.js.errors#network_error'),
        seen,
        request,
      ).transient,
    ).toBe(true);
  });

  it('an untrusted TLS certificate is permanent and says how to trust a private CA', () => {
    const e = classifyEntraError(
      new Error('endpoints_resolution_error'),
      { networkCode: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' },
      request,
    );
    expect(e.transient).toBe(false);
    expect(e.oneLine()).toMatch(/TLS certificate .*\(NODE_EXTRA_CA_CERTS\)/);
  });

  it('scrubs tokens an SDK message echoes', () => {
    const e = classifyEntraError(
      new Error('weird failure with eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl inside'),
      {},
      request,
    );
    expect(e.message).not.toContain('eyJhbGciOiJSUzI1NiJ9');
  });

  it('keeps only the first line of an error description, without trace and correlation IDs', () => {
    const seen = observed(
      401,
      700213,
      "No matching federated identity record found for presented assertion subject 'x'.",
    );
    expect(seen.description).toBe(
      "AADSTS700213: No matching federated identity record found for presented assertion subject 'x'.",
    );
  });

  it.each(EXPLAIN_ON_FAILURE_BY_DOOR)(
    'a refused subject points at explain-on-failure the way the front door sets it (%j)',
    (door, setting) => {
      const e = classifyEntraError(
        sdkError,
        observed(400, 700213, 'No matching federated identity record found.'),
        { ...request, door },
      );
      expect(e.fix).toBe(
        `No federated credential of app ${request.clientId} has the subject 'repo:octo-org/octo-repo:environment:prod' (matching is exact and case-sensitive). To see which field differs, run \`wif explain\` with the token and the app's federated credentials, or add ${setting}.`,
      );
    },
  );
});
