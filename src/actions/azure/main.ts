import { prefetchIdToken, prefetchSent } from '../../platforms/github/early-token.ts';
import { wifCommandFrom } from '../../platforms/github/wif-command.ts';
import {
  azureCloud,
  azureEnvironmentNames,
  type AzureEnvironmentName,
} from '../../core/exchange/azure/clouds.ts';

// The token request goes out first; the exchange and its SDK load while it is in flight.
// The audience is the `audience` input or the cloud's exchange audience, as parseAzureTargetConfig reads it.
const environment = (process.env['INPUT_ENVIRONMENT'] || 'azurecloud').toLowerCase();
const known = (azureEnvironmentNames as readonly string[]).includes(environment);
prefetchIdToken(
  process.env['INPUT_AUDIENCE'] ||
    (known ? azureCloud(environment as AzureEnvironmentName).exchangeAudience : undefined),
);
await prefetchSent();
const { main } = await import('./run.ts');
main(wifCommandFrom(import.meta.url));
