import { prefetchIdToken, prefetchSent } from '../../platforms/github/early-token.ts';
import { wifCommandFrom } from '../../platforms/github/wif-command.ts';

// The token request goes out first; the exchange and its SDK load while it is in flight.
// The audience is the `audience` input or the GCP default, as parseGcpTargetConfig reads it.
const provider = process.env['INPUT_WORKLOAD-IDENTITY-PROVIDER'];
prefetchIdToken(
  process.env['INPUT_AUDIENCE'] ||
    (provider ? `https://iam.googleapis.com/${provider}` : undefined),
);
await prefetchSent();
const { main } = await import('./run.ts');
main(wifCommandFrom(import.meta.url));
