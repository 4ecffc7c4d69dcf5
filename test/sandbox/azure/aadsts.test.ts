import { describe, expect, it } from 'vitest';
import { entraError, parseAadstsCode } from '../../../src/sandbox/azure/aadsts.ts';

/**
 * The AADSTS error envelope, as quoted in Entra responses ("Microsoft Entra authentication and
 * authorization error codes"; bodies in Azure/azure-workload-identity #616 and #1232).
 */
describe('AADSTS error envelope', () => {
  const now = new Date('2026-03-04T05:06:07.890Z');

  it('puts the code, message, trace, correlation and timestamp into error_description', () => {
    const { status, body } = entraError(
      700213,
      { subject: 'repo:o/r:environment:dev' },
      { correlationId: '11111111-2222-4333-8444-555555555555', now },
    );
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
    expect(body.error_codes).toEqual([700213]);
    expect(body.timestamp).toBe('2026-03-04 05:06:07Z');
    expect(body.correlation_id).toBe('11111111-2222-4333-8444-555555555555');
    expect(body.error_uri).toBe('https://login.microsoftonline.com/error?code=700213');
    expect(body.error_description).toBe(
      `AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:o/r:environment:dev'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation Trace ID: ${body.trace_id} Correlation ID: 11111111-2222-4333-8444-555555555555 Timestamp: 2026-03-04 05:06:07Z`,
    );
  });

  it('prints AADSTS700024 instants with seven fractional digits and the epoch for a missing nbf', () => {
    const { body } = entraError(700024, { now: 1_772_600_767, expires: 1_772_597_167 }, { now });
    expect(body.error_description).toContain(
      'Current time: 2026-03-04T05:06:07.0000000Z, assertion valid from 1970-01-01T00:00:00.0000000Z, expiry time of assertion 2026-03-04T04:06:07.0000000Z.',
    );
  });

  it('answers invalid_client with 401 and the other OAuth errors with 400', () => {
    expect(entraError(70021).status).toBe(400);
    expect(entraError(700016).status).toBe(400);
    expect(entraError(7002138).status).toBe(401);
    expect(entraError(700024).status).toBe(401);
  });

  it('lets discovery rename the OAuth error of an unknown tenant', () => {
    expect(entraError(90002, { tenant: 'x' }, { error: 'invalid_tenant' }).body.error).toBe(
      'invalid_tenant',
    );
  });

  it('reads fault knob codes with or without the AADSTS prefix, and only known ones', () => {
    expect(parseAadstsCode('AADSTS70021')).toBe(70021);
    expect(parseAadstsCode('7002138')).toBe(7002138);
    expect(parseAadstsCode('aadsts700024')).toBe(700024);
    expect(parseAadstsCode('AADSTS12345')).toBeUndefined();
    expect(parseAadstsCode('Throttling')).toBeUndefined();
  });
});
