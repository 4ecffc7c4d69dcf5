/**
 * The Azure clouds a workload can federate into, with the endpoints Microsoft documents for
 * each ("National clouds" and "Workload identity federation" pages): the Entra authority, the
 * Azure Resource Manager endpoint, the token-exchange audience its federated credentials
 * default to, and the names Terraform's azurerm provider and the Azure CLI use for it.
 */
export interface AzureCloud {
  /** The `environment` option value, as Azure/login spells it (lower case). */
  readonly name: AzureEnvironmentName;
  readonly authorityHost: string;
  readonly resourceManager: string;
  readonly exchangeAudience: string;
  /** ARM_ENVIRONMENT for azurerm; `public` is its default and is not exported. */
  readonly terraformEnvironment: string;
  /** `az cloud set --name` value. */
  readonly cliCloud: string;
}

export const azureEnvironmentNames = [
  'azurecloud',
  'azureusgovernment',
  'azurechinacloud',
] as const;
export type AzureEnvironmentName = (typeof azureEnvironmentNames)[number];

const clouds: Readonly<Record<AzureEnvironmentName, AzureCloud>> = {
  azurecloud: {
    name: 'azurecloud',
    authorityHost: 'https://login.microsoftonline.com/',
    resourceManager: 'https://management.azure.com/',
    exchangeAudience: 'api://AzureADTokenExchange',
    terraformEnvironment: 'public',
    cliCloud: 'AzureCloud',
  },
  azureusgovernment: {
    name: 'azureusgovernment',
    authorityHost: 'https://login.microsoftonline.us/',
    resourceManager: 'https://management.usgovcloudapi.net/',
    exchangeAudience: 'api://AzureADTokenExchangeUSGov',
    terraformEnvironment: 'usgovernment',
    cliCloud: 'AzureUSGovernment',
  },
  azurechinacloud: {
    name: 'azurechinacloud',
    authorityHost: 'https://login.chinacloudapi.cn/',
    resourceManager: 'https://management.chinacloudapi.cn/',
    exchangeAudience: 'api://AzureADTokenExchangeChina',
    terraformEnvironment: 'china',
    cliCloud: 'AzureChinaCloud',
  },
};

export function azureCloud(name: AzureEnvironmentName): AzureCloud {
  return clouds[name];
}

/** The client-credentials scope for a resource: its App ID URI followed by `/.default`. */
export function defaultScopeOf(resource: string): string {
  return `${resource.replace(/\/+$/, '')}/.default`;
}

/**
 * Names Azure/login accepts that wif deliberately does not, with the reason given to the user
 * instead of a bare "unknown value".
 */
export const unsupportedEnvironments: Readonly<Record<string, string>> = {
  azurestack:
    "Azure Stack Hub has no fixed endpoints; set authority-host to the stack's Entra authority and access-token-scope to its Resource Manager scope instead",
  azuregermancloud: 'Microsoft Cloud Deutschland closed in 2021; its workloads moved to azurecloud',
};
