import { describe, expect, it } from 'vitest';
import { parseAzureTargetConfig } from '../../../src/core/exchange/azure.ts';
import { ACTION_INPUTS, OptionReader } from '../../../src/core/exchange/options.ts';
import { isWifError } from '../../../src/core/errors.ts';

const CLIENT = '11111111-2222-4333-8444-555555555555';
const TENANT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

function parse(raw: Record<string, string>) {
  return parseAzureTargetConfig(
    new OptionReader({ 'client-id': CLIENT, 'tenant-id': TENANT, ...raw }, ACTION_INPUTS),
  );
}

function refusal(raw: Record<string, string>): string {
  try {
    parse(raw);
  } catch (error) {
    if (isWifError(error) && error.code === 'usage') return error.oneLine();
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('Azure target options', () => {
  it('defaults to the public cloud: its authority, token-exchange audience and ARM scope', () => {
    const config = parse({});
    expect(config).toMatchObject({
      clientId: CLIENT,
      tenantId: TENANT,
      subscriptionId: undefined,
      audience: 'api://AzureADTokenExchange',
      authorityHost: 'https://login.microsoftonline.com/',
      customAuthority: false,
      proofScope: 'https://management.azure.com/.default',
      exportEnv: true,
      overwrite: false,
      refresh: false,
      azLogin: false,
      retryMaxAttempts: 5,
      timeoutSeconds: 120,
    });
    expect(config.cloud.terraformEnvironment).toBe('public');
  });

  it.each([
    [
      'azureusgovernment',
      'https://login.microsoftonline.us/',
      'api://AzureADTokenExchangeUSGov',
      'https://management.usgovcloudapi.net/.default',
      'usgovernment',
    ],
    [
      'AzureChinaCloud',
      'https://login.chinacloudapi.cn/',
      'api://AzureADTokenExchangeChina',
      'https://management.chinacloudapi.cn/.default',
      'china',
    ],
  ])(
    'maps environment %s to its authority, audience, ARM scope and ARM_ENVIRONMENT',
    (environment, authority, audience, scope, terraform) => {
      const config = parse({ environment });
      expect(config.authorityHost).toBe(authority);
      expect(config.audience).toBe(audience);
      expect(config.proofScope).toBe(scope);
      expect(config.cloud.terraformEnvironment).toBe(terraform);
    },
  );

  it('accepts a verified domain as tenant and lower-cases GUIDs', () => {
    expect(parse({ 'tenant-id': 'Contoso.onmicrosoft.com' }).tenantId).toBe(
      'contoso.onmicrosoft.com',
    );
    expect(parse({ 'client-id': CLIENT.toUpperCase() }).clientId).toBe(CLIENT);
  });

  it('an authority-host override is custom and proves with access-token-scope when given', () => {
    const config = parse({
      'authority-host': 'https://127.0.0.1:8443',
      'access-token-scope': 'https://vault.azure.net/.default',
      audience: 'api://custom',
    });
    expect(config.authorityHost).toBe('https://127.0.0.1:8443/');
    expect(config.customAuthority).toBe(true);
    expect(config.proofScope).toBe('https://vault.azure.net/.default');
    expect(config.audience).toBe('api://custom');
  });

  describe('AZURE_AUTHORITY_HOST, as the Azure SDKs read it', () => {
    const withEnv = (raw: Record<string, string>, host: string) =>
      parseAzureTargetConfig(
        new OptionReader({ 'client-id': CLIENT, 'tenant-id': TENANT, ...raw }, ACTION_INPUTS),
        { AZURE_AUTHORITY_HOST: host },
      );

    it('is the authority when no option names one (a sandbox, Azure Stack)', () => {
      const config = withEnv({}, 'https://127.0.0.1:8443');
      expect(config.authorityHost).toBe('https://127.0.0.1:8443/');
      expect(config.customAuthority).toBe(true);
      expect(config.audience).toBe('api://AzureADTokenExchange');
    });

    it("naming a sovereign cloud's host selects that cloud's audience and ARM scope", () => {
      const config = withEnv({}, 'https://login.chinacloudapi.cn/');
      expect(config).toMatchObject({
        authorityHost: 'https://login.chinacloudapi.cn/',
        customAuthority: false,
        audience: 'api://AzureADTokenExchangeChina',
        proofScope: 'https://management.chinacloudapi.cn/.default',
      });
    });

    it('gives way to the authority-host option and to an explicit environment', () => {
      expect(
        withEnv({ 'authority-host': 'https://127.0.0.1:9443' }, 'https://127.0.0.1:8443')
          .authorityHost,
      ).toBe('https://127.0.0.1:9443/');
      const config = withEnv({ environment: 'AzureUSGovernment' }, 'https://127.0.0.1:8443');
      expect(config.authorityHost).toBe('https://login.microsoftonline.us/');
      expect(config.customAuthority).toBe(false);
    });

    it('refuses a bad value in one line naming the variable, never its value', () => {
      for (const [value, reason] of [
        ['not a url', /must be a URL such as https:\/\/login\.microsoftonline\.com\//],
        ['http://127.0.0.1:8080', /must be an https URL/],
        ['https://user:pw@127.0.0.1/', /must be a bare host URL/],
      ] as const) {
        let message = '';
        try {
          withEnv({}, value);
        } catch (error) {
          if (isWifError(error) && error.code === 'usage') message = error.oneLine();
          else throw error;
        }
        expect(message).toMatch(/^The AZURE_AUTHORITY_HOST environment variable /);
        expect(message).toMatch(reason);
        expect(message).not.toContain(value);
        expect(message).not.toContain('\n');
      }
    });
  });

  const bad: [string, Record<string, string>, RegExp][] = [
    [
      'a malformed tenant',
      { 'tenant-id': 'not a tenant' },
      /^Input "tenant-id" "not a tenant" is neither a tenant GUID nor a domain name\. Use the Directory \(tenant\) ID/,
    ],
    [
      'a multi-tenant authority',
      { 'tenant-id': 'common' },
      /^Input "tenant-id" "common" names no single tenant/,
    ],
    [
      'a malformed client ID',
      { 'client-id': '1234' },
      /^Input "client-id" "1234" is not a GUID\. Copy it from the app registration's Overview page/,
    ],
    [
      'a missing client ID',
      { 'client-id': '' },
      /^Input "client-id" is required: the application \(client\) ID/,
    ],
    [
      'a malformed subscription',
      { 'subscription-id': 'prod' },
      /^Input "subscription-id" "prod" is not a GUID/,
    ],
    [
      'an unknown environment',
      { environment: 'azuremooncloud' },
      /^Input "environment" must be one of azurecloud, azureusgovernment, azurechinacloud, not "azuremooncloud"\.$/,
    ],
    [
      'Azure Stack without endpoints',
      { environment: 'AzureStack' },
      /^Input "environment" "AzureStack" is not supported: Azure Stack Hub has no fixed endpoints; set authority-host/,
    ],
    [
      'an http authority',
      { 'authority-host': 'http://127.0.0.1:8080' },
      /^Input "authority-host" must be an https URL/,
    ],
    [
      'a scope that is not .default',
      { 'access-token-scope': 'https://vault.azure.net/user_impersonation' },
      /^Input "access-token-scope" ".*" must end in \/\.default/,
    ],
    [
      'a bad boolean',
      { 'az-login': 'maybe' },
      /^Input "az-login" must be true or false, not "maybe"\.$/,
    ],
    [
      'retries out of range',
      { 'retry-max-attempts': '0' },
      /^Input "retry-max-attempts" must be a whole number from 1 to 20/,
    ],
  ];
  it.each(bad)('refuses %s with one actionable line', (_name, raw, line) => {
    const text = refusal(raw);
    expect(text).toMatch(line);
    expect(text).not.toContain('\n');
  });
});
