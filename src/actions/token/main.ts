import { prefetchIdToken, prefetchSent } from '../../platforms/github/early-token.ts';

// The token request goes out first; the exchange and its SDK load while it is in flight.
prefetchIdToken(process.env['INPUT_AUDIENCE'] || undefined);
await prefetchSent();
const { main } = await import('./run.ts');
main();
