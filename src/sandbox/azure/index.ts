import { WifError } from '../../core/errors.ts';
import type { EmulatorContext, EmulatorDefinition, RunningEmulator } from '../emulator.ts';
import { AccessTokenSigner } from './access-token.ts';
import { parseAzureConfig } from './config.ts';
import { startEntraServer } from './server.ts';
import { createLoopbackTls } from './tls.ts';

export { checkAccessToken, type AccessTokenCheck, type AccessTokenClaims } from './access-token.ts';
export {
  defaultAzureConfig,
  parseAzureConfig,
  SANDBOX_DEFAULT_SUBJECT,
  SANDBOX_TENANT,
  TOKEN_EXCHANGE_AUDIENCE,
  type AzureApp,
  type AzureConfig,
  type AzureTenant,
  type FederatedCredential,
} from './config.ts';

/**
 * Microsoft Entra ID, as far as workload identity federation needs it: tenant discovery, the
 * tenant's signing keys and the v2.0 token endpoint (client credentials with a federated
 * client assertion), over HTTPS with a CA generated at start.
 */
export const azureEmulator: EmulatorDefinition = {
  name: 'azure',
  summary: 'Microsoft Entra ID v2.0 token endpoint (HTTPS): federated credentials, AADSTS errors',
  async start(context: EmulatorContext): Promise<RunningEmulator> {
    if (context.issuerUrl === undefined) {
      throw new WifError(
        'internal',
        'The Entra ID emulator was started without the sandbox issuer URL.',
      );
    }
    const config = parseAzureConfig(context.config, context.issuerUrl);
    const [tls, signer] = await Promise.all([
      createLoopbackTls(context.stateDir),
      AccessTokenSigner.create(),
    ]);
    const server = await startEntraServer({
      host: context.host,
      port: context.port,
      config,
      tls,
      signer,
      faults: context.faults,
      log: context.log,
    });
    const defaultApp = config.apps[0];
    const tenantId = defaultApp?.tenantId ?? config.tenants[0]?.id;
    const env: Record<string, string> = {
      AZURE_AUTHORITY_HOST: server.url,
      WIF_AZURE_CA_FILE: tls.caFile,
      ...(tenantId === undefined ? {} : { AZURE_TENANT_ID: tenantId }),
      ...(defaultApp === undefined ? {} : { AZURE_CLIENT_ID: defaultApp.clientId }),
    };
    const urls: Record<string, string> = { authority: server.url };
    if (tenantId !== undefined) {
      urls.token = `${server.url}${tenantId}/oauth2/v2.0/token`;
      urls.discovery = `${server.url}${tenantId}/v2.0/.well-known/openid-configuration`;
    }
    return { name: 'azure', urls, env, close: () => server.close() };
  },
};
