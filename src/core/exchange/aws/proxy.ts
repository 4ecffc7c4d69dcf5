import { defaultStsEndpoint } from './partitions.ts';

/**
 * Which proxy the STS calls go through. google-auth-library and @azure/identity read the
 * standard proxy variables themselves; the AWS SDK for JavaScript v3 reads none of them, so a
 * self-hosted runner behind a proxy (HTTPS_PROXY set for the whole machine) would reach every
 * cloud but AWS. The `http-proxy` input wins; otherwise the variables are read as curl reads
 * them (`https_proxy` for https URLs, `http_proxy` for http, lower case first, then upper
 * case) with google-auth-library's one extension, `http_proxy` for https when `https_proxy` is
 * unset, so the clouds of one step agree; `no_proxy` bypasses hosts.
 *
 * Hand-written rather than proxy-from-env: that package reads only `process.env`, and core
 * takes its environment as a parameter.
 */

type Env = Readonly<Record<string, string | undefined>>;

interface Setting {
  readonly name: string;
  readonly value: string;
}

function variable(env: Env, name: string): Setting | undefined {
  for (const spelling of [name.toLowerCase(), name.toUpperCase()]) {
    const value = env[spelling]?.trim();
    if (value !== undefined && value !== '') return { name: spelling, value };
  }
  return undefined;
}

/**
 * The STS endpoint the SDK will call: an explicit endpoint, the SDK's own endpoint variables,
 * or the regional endpoint the SDK resolves for the region.
 */
export function stsEndpointUrl(explicit: string | undefined, region: string, env: Env): URL {
  const configured = explicit ?? env['AWS_ENDPOINT_URL_STS'] ?? env['AWS_ENDPOINT_URL'];
  if (configured !== undefined && URL.canParse(configured)) return new URL(configured);
  return defaultStsEndpoint(region);
}

/**
 * Whether `no_proxy` exempts `url`: `*`, the host itself, or a domain it is under
 * (`example.com` and `.example.com` both cover `sts.example.com`), each optionally with a port.
 */
export function bypassesProxy(url: URL, env: Env): boolean {
  const list = variable(env, 'no_proxy')?.value;
  if (list === undefined) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port;
  return list
    .split(/[\s,]+/)
    .filter((entry) => entry !== '')
    .some((entry) => {
      if (entry === '*') return true;
      const match = /^(.*?)(?::(\d+))?$/.exec(entry.toLowerCase());
      const pattern = (match?.[1] ?? '').replace(/^\[|\]$/g, '').replace(/^\*?\./, '');
      const wantedPort = match?.[2];
      if (pattern === '' || (wantedPort !== undefined && wantedPort !== port)) return false;
      return host === pattern || host.endsWith(`.${pattern}`);
    });
}

/** What the proxy agent can use: an http or https URL with a host. */
export function isProxyUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

/**
 * The proxy for requests to `url` and the variable that named it, or undefined to connect
 * directly. An explicit proxy (the `http-proxy` input) is used as given.
 */
export function proxyForUrl(url: URL, explicit: string | undefined, env: Env): Setting | undefined {
  if (explicit !== undefined) return { name: 'http-proxy', value: explicit };
  const proxy =
    url.protocol === 'https:'
      ? (variable(env, 'https_proxy') ?? variable(env, 'http_proxy'))
      : variable(env, 'http_proxy');
  if (proxy === undefined || bypassesProxy(url, env)) return undefined;
  return proxy;
}
