/**
 * Behind a proxy, @actions/http-client gives Octokit an undici ProxyAgent, built synchronously.
 * The bundle keeps undici out of every action's start-up (scripts/build-config.ts, lazy-undici)
 * and leaves a loader on `globalThis`; this loads undici through it when a proxy is set, and
 * must run before anything that can build that agent. Run from source, http-client imports
 * undici itself and there is no loader: nothing to do.
 */
const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'] as const;
const LOAD_UNDICI = Symbol.for('wif.loadUndici');

export async function loadProxySupport(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<void> {
  if (!PROXY_VARIABLES.some((name) => (env[name] ?? '') !== '')) return;
  const load: unknown = (globalThis as Record<symbol, unknown>)[LOAD_UNDICI];
  if (typeof load === 'function') await (load as () => Promise<void>)();
}
