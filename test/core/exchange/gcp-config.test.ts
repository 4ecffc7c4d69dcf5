import { describe, expect, it } from 'vitest';
import { parseGcpTargetConfig } from '../../../src/core/exchange/gcp.ts';
import { ACTION_INPUTS, CLI_FLAGS, OptionReader } from '../../../src/core/exchange/options.ts';

const PROVIDER =
  'projects/123456789012/locations/global/workloadIdentityPools/ci-pool/providers/github';
const SA = 'deployer@wif-sandbox.iam.gserviceaccount.com';

function parse(options: Record<string, string>, env: Record<string, string> = {}) {
  return parseGcpTargetConfig(
    new OptionReader({ 'workload-identity-provider': PROVIDER, ...options }, ACTION_INPUTS),
    env,
  );
}

function refusal(options: Record<string, string>, env: Record<string, string> = {}): string {
  try {
    parse(options, env);
  } catch (error) {
    return error instanceof Error && 'oneLine' in error
      ? (error as { oneLine(): string }).oneLine()
      : String(error);
  }
  throw new Error('parsed without complaint');
}

describe('GCP target options', () => {
  it('defaults to the provider audience forms google-github-actions/auth uses, and the public endpoints', () => {
    const config = parse({});
    expect(config.audience).toBe(`https://iam.googleapis.com/${PROVIDER}`);
    expect(config.stsAudience).toBe(`//iam.googleapis.com/${PROVIDER}`);
    expect(config.stsUrl).toBe('https://sts.googleapis.com/v1/token');
    expect(config.iamCredentialsUrl).toBe('https://iamcredentials.googleapis.com');
    expect(config).toMatchObject({
      tokenFormat: 'none',
      createCredentialsFile: true,
      exportEnv: true,
      overwrite: false,
      refresh: false,
      projectNumber: '123456789012',
      poolId: 'ci-pool',
    });
    expect(config.accessTokenScopes).toEqual(['https://www.googleapis.com/auth/cloud-platform']);
  });

  it('takes a custom audience, universe and endpoint overrides in every documented shape', () => {
    expect(parse({ audience: 'my-aud' }).audience).toBe('my-aud');
    expect(parse({ universe: 'example.goog' })).toMatchObject({
      stsUrl: 'https://sts.example.goog/v1/token',
      iamCredentialsUrl: 'https://iamcredentials.example.goog',
    });
    expect(parse({ 'sts-endpoint': 'http://127.0.0.1:9/' }).stsUrl).toBe(
      'http://127.0.0.1:9/v1/token',
    );
    expect(parse({ 'sts-endpoint': 'http://127.0.0.1:9/v1' }).stsUrl).toBe(
      'http://127.0.0.1:9/v1/token',
    );
    expect(parse({ 'sts-endpoint': 'http://127.0.0.1:9/v1/token' }).stsUrl).toBe(
      'http://127.0.0.1:9/v1/token',
    );
    expect(parse({ 'iamcredentials-endpoint': 'http://127.0.0.1:9/v1/' }).iamCredentialsUrl).toBe(
      'http://127.0.0.1:9',
    );
  });

  it('honours the GHA_ENDPOINT_OVERRIDE_* variables google-github-actions/auth reads, below the options', () => {
    const env = {
      GHA_ENDPOINT_OVERRIDE_sts: 'http://127.0.0.1:7/v1',
      GHA_ENDPOINT_OVERRIDE_iamcredentials: 'http://127.0.0.1:7/v1',
    };
    expect(parse({}, env)).toMatchObject({
      stsUrl: 'http://127.0.0.1:7/v1/token',
      iamCredentialsUrl: 'http://127.0.0.1:7',
    });
    expect(parse({ 'sts-endpoint': 'http://127.0.0.1:8' }, env).stsUrl).toBe(
      'http://127.0.0.1:8/v1/token',
    );
  });

  it('derives the project from the service account email, and lets project-id win', () => {
    expect(parse({ 'service-account': SA }).projectId).toBe('wif-sandbox');
    expect(parse({ 'service-account': SA, 'project-id': 'other-project' }).projectId).toBe(
      'other-project',
    );
    expect(parse({}).projectId).toBeUndefined();
  });

  it('normalises delegates to resource names and reads lifetimes with or without the s suffix', () => {
    const config = parse({
      'service-account': SA,
      delegates:
        'a@p.iam.gserviceaccount.com, projects/-/serviceAccounts/b@p.iam.gserviceaccount.com',
      'access-token-lifetime': '1800s',
    });
    expect(config.delegates).toEqual([
      'projects/-/serviceAccounts/a@p.iam.gserviceaccount.com',
      'projects/-/serviceAccounts/b@p.iam.gserviceaccount.com',
    ]);
    expect(config).toMatchObject({ accessTokenLifetimeSeconds: 1800, lifetimeRequested: true });
    expect(parse({ 'service-account': SA }).lifetimeRequested).toBe(false);
  });
});

describe('GCP target options: one clear line per mistake', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'a project ID where the number belongs',
      {
        'workload-identity-provider':
          'projects/my-proj/locations/global/workloadIdentityPools/ci-pool/providers/github',
      },
      /is not a workload identity provider resource name\. "my-proj" looks like a project ID; use the project number/,
    ],
    [
      'the audience form instead of the resource name',
      { 'workload-identity-provider': `//iam.googleapis.com/${PROVIDER}` },
      /without the "\/\/iam\.googleapis\.com\/" prefix/,
    ],
    [
      'a provider path that is not one',
      { 'workload-identity-provider': 'github' },
      /Use the form projects\/<project number>\/locations\/global/,
    ],
    [
      'an unknown token format',
      { 'token-format': 'jwt' },
      /Input "token-format" must be one of access_token, id_token, none, not "jwt"/,
    ],
    [
      'a lifetime out of range',
      { 'service-account': SA, 'access-token-lifetime': '50000' },
      /Input "access-token-lifetime" must be 1 to 43200 seconds .*not "50000"/,
    ],
    [
      'a lifetime that is not a duration',
      { 'service-account': SA, 'access-token-lifetime': '1h' },
      /must be 1 to 43200 seconds/,
    ],
    [
      'a lifetime without a service account',
      { 'access-token-lifetime': '600' },
      /applies only to service account tokens/,
    ],
    [
      'an ID token without a service account',
      { 'token-format': 'id_token', 'id-token-audience': 'https://x' },
      /id_token needs Input "service-account"/,
    ],
    [
      'an ID token without an audience',
      { 'token-format': 'id_token', 'service-account': SA },
      /id_token needs Input "id-token-audience"/,
    ],
    [
      'a service account that is not an email',
      { 'service-account': 'deployer' },
      /"deployer" is not a service account email/,
    ],
    [
      'delegates without a service account',
      { delegates: 'a@p.iam.gserviceaccount.com' },
      /delegates" needs Input "service-account"/,
    ],
    [
      'refresh without a credentials file',
      { refresh: 'true', 'create-credentials-file': 'false' },
      /refresh" needs Input "create-credentials-file"/,
    ],
    [
      'an endpoint that is not a URL',
      { 'sts-endpoint': 'sts' },
      /Input "sts-endpoint" must be an http\(s\) URL/,
    ],
  ];
  it.each(cases)('%s', (_name, options, line) => {
    const text = refusal(options);
    expect(text).toMatch(line);
    expect(text).not.toContain('\n');
  });

  it('a missing provider names the input', () => {
    expect(() => parseGcpTargetConfig(new OptionReader({}, CLI_FLAGS), {})).toThrow(
      /--workload-identity-provider is required/,
    );
  });
});
