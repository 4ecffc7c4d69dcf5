import { prefetchIdToken, prefetchSent } from '../../platforms/github/early-token.ts';
import { wifCommandFrom } from '../../platforms/github/wif-command.ts';

// The token request goes out first; the exchange and its SDK load while it is in flight.
// The audience is the `audience` input or the AWS default, as parseAwsTargetConfig reads it.
prefetchIdToken(process.env['INPUT_AUDIENCE'] || 'sts.amazonaws.com');
await prefetchSent();
const { main } = await import('./run.ts');
main(wifCommandFrom(import.meta.url));
