import { WifError } from '../../errors.ts';
import type { FrontDoor, OptionReader } from '../options.ts';
import {
  azureCloud,
  azureEnvironmentNames,
  defaultScopeOf,
  unsupportedEnvironments,
  type AzureCloud,
  type AzureEnvironmentName,
} from './clouds.ts';

/** Everything an Azure target can be told: Azure/login's OIDC inputs, without the `az` CLI. */
export interface AzureTargetConfig {
  /** The front door the options came through: fixes name options in its syntax. */
  readonly door: FrontDoor;
  readonly clientId: string;
  /** A directory (tenant) ID or one of its verified domains. */
  readonly tenantId: string;
  readonly subscriptionId: string | undefined;
  readonly cloud: AzureCloud;
  readonly audience: string;
  /** The Entra authority host, with a trailing slash. */
  readonly authorityHost: string;
  /** True when authority-host names a host that is not the cloud's own (Azure Stack, an emulator). */
  readonly customAuthority: boolean;
  /** A scope to also hand out an access token for (the `access-token` output). */
  readonly accessTokenScope: string | undefined;
  /** The scope the exchange proves the federation with before exporting anything. */
  readonly proofScope: string;
  readonly azLogin: boolean;
  readonly exportEnv: boolean;
  readonly overwrite: boolean;
  readonly refresh: boolean;
  readonly retryMaxAttempts: number;
  readonly timeoutSeconds: number;
  /** A federated credential file to explain a refusal with (explain-on-failure). */
  readonly explainOnFailure: string | undefined;
}

export const azureOptionNames = [
  'client-id',
  'tenant-id',
  'subscription-id',
  'audience',
  'environment',
  'authority-host',
  'access-token-scope',
  'az-login',
  'export-env',
  'overwrite',
  'refresh',
  'retry-max-attempts',
  'timeout-seconds',
  'explain-on-failure',
] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A DNS name with at least two labels, as Entra verified domains are. */
const DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
/** Authorities that name no single tenant; client credentials need the app's own tenant. */
const MULTI_TENANT = new Set(['common', 'organizations', 'consumers']);
/** Client credentials accept only `<resource>/.default` scopes. */
const DEFAULT_SCOPE = /^\S+\/\.default$/;

function guid(options: OptionReader, name: string, what: string, where: string): string {
  const value = options.required(name, what);
  if (!GUID.test(value)) {
    throw new WifError('usage', `${options.label(name)} "${value}" is not a GUID.`, {
      fix: `Copy it from ${where} (the form is 00000000-0000-0000-0000-000000000000).`,
    });
  }
  return value.toLowerCase();
}

function tenant(options: OptionReader): string {
  const value = options.required('tenant-id', 'the directory (tenant) ID of the app registration');
  if (MULTI_TENANT.has(value.toLowerCase())) {
    throw new WifError(
      'usage',
      `${options.label('tenant-id')} "${value}" names no single tenant; federated credentials need the app's own tenant.`,
      {
        fix: "Use the Directory (tenant) ID from the app registration's Overview page.",
      },
    );
  }
  if (GUID.test(value)) return value.toLowerCase();
  if (DOMAIN.test(value)) return value.toLowerCase();
  throw new WifError(
    'usage',
    `${options.label('tenant-id')} "${value}" is neither a tenant GUID nor a domain name.`,
    {
      fix: "Use the Directory (tenant) ID from the app registration's Overview page, or a verified domain such as contoso.onmicrosoft.com.",
    },
  );
}

function environment(options: OptionReader): AzureEnvironmentName {
  const value = options.string('environment');
  if (value === undefined) return 'azurecloud';
  const name = value.toLowerCase();
  if ((azureEnvironmentNames as readonly string[]).includes(name))
    return name as AzureEnvironmentName;
  const why = unsupportedEnvironments[name];
  if (why !== undefined)
    throw new WifError(
      'usage',
      `${options.label('environment')} "${value}" is not supported: ${why}.`,
    );
  throw new WifError(
    'usage',
    `${options.label('environment')} must be one of ${azureEnvironmentNames.join(', ')}, not "${value}".`,
  );
}

/**
 * The authority: the `authority-host` option, else AZURE_AUTHORITY_HOST as the Azure SDKs read
 * it (a sandbox or Azure Stack sets it), unless `environment` names the cloud explicitly; else
 * the cloud's own host. A bad value is named by where it came from.
 */
function authorityHost(
  options: OptionReader,
  cloud: AzureCloud,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const fromOption = options.url('authority-host');
  const fromEnv =
    fromOption === undefined && options.string('environment') === undefined
      ? env['AZURE_AUTHORITY_HOST']?.trim()
      : undefined;
  if (fromOption === undefined && (fromEnv === undefined || fromEnv === '')) {
    return cloud.authorityHost;
  }
  const label =
    fromOption === undefined
      ? 'The AZURE_AUTHORITY_HOST environment variable'
      : options.label('authority-host');
  let url: URL;
  if (fromOption !== undefined) url = fromOption;
  else {
    try {
      url = new URL(fromEnv ?? '');
    } catch {
      throw new WifError(
        'usage',
        `${label} must be a URL such as https://login.microsoftonline.com/.`,
        {
          fix: 'Set it to the Entra authority host, or unset it to use the cloud named by environment.',
        },
      );
    }
  }
  // MSAL refuses non-https authorities (authority_uri_insecure); say so before it does.
  if (url.protocol !== 'https:') {
    throw new WifError(
      'usage',
      `${label} must be an https URL: Entra ID clients refuse any other authority.`,
    );
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new WifError(
      'usage',
      `${label} must be a bare host URL such as https://login.microsoftonline.com/.`,
    );
  }
  return url.toString().replace(/\/*$/, '/');
}

export function parseAzureTargetConfig(
  options: OptionReader,
  env: Readonly<Record<string, string | undefined>> = {},
): AzureTargetConfig {
  const clientId = guid(
    options,
    'client-id',
    'the application (client) ID of the app registration or managed identity',
    "the app registration's Overview page (Application (client) ID)",
  );
  const tenantId = tenant(options);
  const subscriptionId =
    options.string('subscription-id') === undefined
      ? undefined
      : guid(
          options,
          'subscription-id',
          'a subscription ID',
          'the Subscriptions page or `az account list`',
        );
  const named = azureCloud(environment(options));
  const host = authorityHost(options, named, env);
  // AZURE_AUTHORITY_HOST naming a sovereign cloud's host selects that cloud's endpoints and
  // exchange audience too, as the variable means to the SDKs; an explicit option never moves.
  const cloud =
    options.string('environment') === undefined && options.string('authority-host') === undefined
      ? (azureEnvironmentNames.map(azureCloud).find((c) => c.authorityHost === host) ?? named)
      : named;
  const accessTokenScope = options.string('access-token-scope');
  if (accessTokenScope !== undefined && !DEFAULT_SCOPE.test(accessTokenScope)) {
    throw new WifError(
      'usage',
      `${options.label('access-token-scope')} "${accessTokenScope}" must end in /.default: app-only tokens are issued for a resource's default scope.`,
      {
        fix: 'Use the resource App ID URI followed by /.default, e.g. https://vault.azure.net/.default.',
      },
    );
  }
  return {
    door: options.door,
    clientId,
    tenantId,
    subscriptionId,
    cloud,
    audience: options.string('audience') ?? cloud.exchangeAudience,
    authorityHost: host,
    customAuthority: host !== cloud.authorityHost,
    accessTokenScope,
    proofScope: accessTokenScope ?? defaultScopeOf(cloud.resourceManager),
    azLogin: options.boolean('az-login', false),
    exportEnv: options.boolean('export-env', true),
    overwrite: options.boolean('overwrite', false),
    refresh: options.boolean('refresh', false),
    retryMaxAttempts: options.integer('retry-max-attempts', 5, { min: 1, max: 20 }),
    timeoutSeconds: options.integer('timeout-seconds', 120, { min: 5, max: 3600, unit: 'seconds' }),
    explainOnFailure: options.string('explain-on-failure'),
  };
}
