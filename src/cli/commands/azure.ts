import {
  azureOptionNames,
  parseAzureTargetConfig,
  runAzureTarget,
} from '../../core/exchange/azure.ts';
import { OptionReader } from '../../core/exchange/options.ts';
import { ExitCode } from '../../core/errors.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { federateOnCli, selfCommand } from '../federation.ts';

const usage = `Usage: wif azure --client-id GUID --tenant-id GUID|DOMAIN [options]

Signs in to Microsoft Entra ID with the pipeline's OIDC token as a federated client assertion,
proves it by obtaining a token, and prints what the Azure SDKs and Terraform read
(AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST,
ARM_CLIENT_ID, ARM_TENANT_ID, ARM_SUBSCRIPTION_ID, ARM_USE_OIDC, ARM_OIDC_TOKEN_FILE_PATH)
for a shell (--format shell, the default), as JSON, or as a 0600 env file whose path is
printed (--format env-file: the form for GitLab jobs). The token file is 0600 in --output-dir.

Options (the same names as the actions/azure inputs):
  --source S                 token source: auto, github, gitlab[:VAR], file:PATH, env:VAR
  --client-id GUID           application (client) ID with the federated credential (required)
  --tenant-id ID             directory (tenant) ID or verified domain (required)
  --subscription-id GUID     subscription for ARM_SUBSCRIPTION_ID / AZURE_SUBSCRIPTION_ID
  --audience A               token audience (default: the cloud's, api://AzureADTokenExchange)
  --environment E            azurecloud (default), azureusgovernment, azurechinacloud
  --authority-host URL       https authority replacing the cloud's (Azure Stack, wif sandbox)
  --access-token-scope S     also print an access token for S (e.g. https://vault.azure.net/.default)
  --az-login                 also run az login --federated-token when az is on PATH
  --export-env false         print only outputs (keep this identity out of the environment)
  --overwrite                replace Azure credentials already in the environment
  --refresh                  keep the token file fresh (starts a detached refresher)
  --retry-max-attempts N     --timeout-seconds S   --explain-on-failure FILE
  --format shell|json|env-file  --output-dir DIR (where credential files go)
`;

const flagNames = [...azureOptionNames, 'source', 'format', 'output-dir'] as const;
const booleanFlags = new Set(['az-login', 'overwrite', 'refresh']);

function flags(): Record<string, { type: 'string' } | { type: 'boolean' }> {
  const out: Record<string, { type: 'string' } | { type: 'boolean' }> = {};
  for (const name of flagNames)
    out[name] = booleanFlags.has(name) ? { type: 'boolean' } : { type: 'string' };
  return out;
}

export const command: Command = {
  name: 'azure',
  summary: 'Sign in to Microsoft Entra ID with the pipeline OIDC token',
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs('azure', argv, flags());
    const raw: Record<string, string | undefined> = {};
    for (const name of [...azureOptionNames, 'format']) {
      const v = (values as Record<string, string | boolean | undefined>)[name];
      raw[name] = typeof v === 'boolean' ? String(v) : v;
    }
    const options = new OptionReader(raw, (n) => `--${n}`);
    const config = parseAzureTargetConfig(options);
    const format = options.oneOf('format', ['shell', 'json', 'env-file'] as const, 'shell');
    await federateOnCli(
      [
        {
          name: 'azure',
          audience: config.audience,
          refresh: config.refresh,
          run: (ctx) => runAzureTarget('azure', config, ctx),
        },
      ],
      {
        source: typeof values['source'] === 'string' ? values['source'] : 'auto',
        format,
        outputDir: typeof values['output-dir'] === 'string' ? values['output-dir'] : undefined,
        timeoutSeconds: config.timeoutSeconds,
      },
      io,
      selfCommand(),
    );
    return ExitCode.ok;
  },
};
