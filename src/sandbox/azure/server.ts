import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultInjector } from '../faults.ts';
import {
  entraError,
  parseAadstsCode,
  type AadstsDetails,
  type EntraErrorResponse,
} from './aadsts.ts';
import type { AccessTokenSigner } from './access-token.ts';
import type { AzureConfig, AzureTenant } from './config.ts';
import { discoveryDocument } from './discovery.ts';
import type { LoopbackTls } from './tls.ts';
import { handleTokenRequest } from './token-endpoint.ts';

/**
 * The HTTPS listener of the Entra ID emulator: tenant discovery, the tenant's JWKS and the v2.0
 * token endpoint, the last behind the fault knobs. Paths are those of login.microsoftonline.com
 * with a tenant ID or verified domain as the first segment.
 */
export interface EntraServerOptions {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly config: AzureConfig;
  readonly tls: LoopbackTls;
  readonly signer: AccessTokenSigner;
  readonly faults: FaultInjector;
  readonly log: (line: string) => void;
}

export interface EntraServer {
  /** `https://127.0.0.1:<port>/`, the authority host. */
  readonly url: string;
  close(): Promise<void>;
}

/** Seconds a throttled client is told to wait: short, so retrying SDKs stay fast in tests. */
export const THROTTLE_RETRY_AFTER_SECONDS = 1;
const maxBodyBytes = 64 * 1024;

const discoveryPath = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/i;
const keysPath = /^\/([^/]+)\/discovery\/v2\.0\/keys$/i;
const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/i;

export async function startEntraServer(options: EntraServerOptions): Promise<EntraServer> {
  const sockets = new Set<Socket>();
  let base = '';
  const server: Server = createServer(
    { cert: options.tls.certPem, key: options.tls.keyPem },
    (req, res) => {
      handle(req, res, options, base).catch((error: unknown) => {
        options.log(
          `azure: internal error: ${error instanceof Error ? error.message : String(error)}`,
        );
        if (!res.headersSent) sendJson(res, 500, { error: 'server_error' });
        else res.destroy();
      });
    },
  );
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  base = `https://${options.host}:${port}`;
  return {
    url: `${base}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** The names the emulator's certificate carries; a client may use either as its authority. */
const certificateHosts = new Set(['127.0.0.1', 'localhost']);

/**
 * The authority the client used, when it is one of the certificate's names on our port, so
 * the discovery document keeps MSAL on the host it started with (it refuses endpoints on
 * another host); anything else gets the listening address. Entra ID itself has one name.
 */
function authorityBaseFor(req: IncomingMessage, base: string): string {
  const host = req.headers.host;
  if (host === undefined) return base;
  let requested: URL;
  try {
    requested = new URL(`https://${host}`);
  } catch {
    return base;
  }
  const listening = new URL(base);
  return certificateHosts.has(requested.hostname) && requested.port === listening.port
    ? `https://${requested.hostname}:${listening.port}`
    : base;
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: EntraServerOptions,
  base: string,
): Promise<void> {
  const url = new URL(req.url ?? '/', base);
  const correlationId = correlationIdOf(req, url);
  const path = url.pathname;
  const discovery = discoveryPath.exec(path);
  if (discovery?.[1] !== undefined) {
    if (!allowMethod(req, res, ['GET'])) return;
    const tenant = findTenant(options.config, discovery[1]);
    if (tenant === undefined) {
      // Discovery names the failure `invalid_tenant`, the token endpoint `invalid_request`.
      sendError(
        res,
        entraError(90002, { tenant: discovery[1] }, { correlationId, error: 'invalid_tenant' }),
      );
      return;
    }
    sendJson(res, 200, discoveryDocument(authorityBaseFor(req, base), tenant));
    return;
  }
  const keys = keysPath.exec(path);
  if (keys?.[1] !== undefined) {
    if (!allowMethod(req, res, ['GET'])) return;
    const tenant = findTenant(options.config, keys[1]);
    if (tenant === undefined) {
      sendError(
        res,
        entraError(90002, { tenant: keys[1] }, { correlationId, error: 'invalid_tenant' }),
      );
      return;
    }
    sendJson(res, 200, options.signer.jwks());
    return;
  }
  const token = tokenPath.exec(path);
  if (token?.[1] !== undefined) {
    await tokenRoute(token[1], req, res, options, correlationId);
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('Not Found\n');
}

async function tokenRoute(
  segment: string,
  req: IncomingMessage,
  res: ServerResponse,
  options: EntraServerOptions,
  correlationId: string | undefined,
): Promise<void> {
  // Faults model the token service. Discovery and keys stay reliable, so a fault exercises
  // the exchange rather than the SDK's one-time metadata bootstrap.
  const decision = options.faults.decide();
  if (decision.latencyMs > 0) await sleep(decision.latencyMs);
  if (decision.kind === 'reset') {
    req.socket.destroy();
    return;
  }
  const body = await readBody(req);
  if (body === undefined) {
    sendJson(res, 413, { error: 'invalid_request', error_description: 'Request body too large.' });
    return;
  }
  // The body is form-encoded whatever the Content-Type says; a JSON body simply has no fields.
  const form = new URLSearchParams(body);
  if (decision.kind === 'throttle') {
    // What the service sends when it throttles a client: 429, Retry-After, a bare text body
    // (quoted by the MSAL maintainers in microsoft-authentication-library-for-dotnet #2855;
    // there is no AADSTS envelope).
    res.writeHead(429, {
      'content-type': 'text/plain; charset=utf-8',
      'retry-after': String(THROTTLE_RETRY_AFTER_SECONDS),
    });
    res.end('Too Many Requests');
    return;
  }
  if (decision.kind === 'error') {
    const code = decision.code === undefined ? 90006 : parseAadstsCode(decision.code);
    if (code === undefined) {
      options.log(
        `azure: fault errorCode "${decision.code ?? ''}" is not an AADSTS code this emulator knows; answering AADSTS90006`,
      );
    }
    sendError(res, entraError(code ?? 90006, requestDetails(segment, form), { correlationId }));
    return;
  }
  if (req.method !== 'POST') {
    sendError(res, entraError(900561, { parameter: req.method ?? 'GET' }, { correlationId }));
    return;
  }
  const tenant = findTenant(options.config, segment);
  if (tenant === undefined) {
    sendError(res, entraError(90002, { tenant: segment }, { correlationId }));
    return;
  }
  const outcome = await handleTokenRequest(tenant, form, {
    config: options.config,
    signer: options.signer,
    correlationId,
  });
  if (!outcome.ok) {
    options.log(
      `azure: token refused: ${outcome.response.body.error_description.split(' Trace ID:')[0] ?? ''}`,
    );
    sendError(res, outcome.response);
    return;
  }
  options.log(`azure: token issued to ${outcome.app.name} via credential ${outcome.credential}`);
  sendJson(res, 200, outcome.body, { 'client-request-id': correlationId ?? '' });
}

/** What an injected AADSTS message can truthfully say about the request it refuses. */
function requestDetails(segment: string, form: URLSearchParams): AadstsDetails {
  const details: Record<string, string | number> = { tenant: segment, now: Date.now() / 1000 };
  const clientId = form.get('client_id');
  if (clientId !== null) details.clientId = clientId;
  const scope = form.get('scope');
  if (scope !== null) details.scope = scope;
  const claims = unverifiedClaims(form.get('client_assertion'));
  if (typeof claims.iss === 'string') details.issuer = claims.iss;
  if (typeof claims.sub === 'string') details.subject = claims.sub;
  if (typeof claims.aud === 'string') details.audience = claims.aud;
  if (typeof claims.exp === 'number') details.expires = claims.exp;
  if (typeof claims.nbf === 'number') details.notBefore = claims.nbf;
  return details;
}

function unverifiedClaims(assertion: string | null): Record<string, unknown> {
  if (assertion === null) return {};
  try {
    const payload = JSON.parse(
      Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as unknown;
    return typeof payload === 'object' && payload !== null
      ? (payload as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function findTenant(config: AzureConfig, segment: string): AzureTenant | undefined {
  let wanted: string;
  try {
    wanted = decodeURIComponent(segment).toLowerCase();
  } catch {
    return undefined; // malformed percent-encoding names no tenant
  }
  return config.tenants.find((t) => t.id === wanted || t.name.toLowerCase() === wanted);
}

/** MSAL sends the correlation ID both as a header and as a query parameter. */
function correlationIdOf(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers['client-request-id'];
  const value =
    (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('client-request-id');
  return value !== null && /^[0-9a-f-]{36}$/i.test(value) ? value : undefined;
}

function allowMethod(
  req: IncomingMessage,
  res: ServerResponse,
  methods: readonly string[],
): boolean {
  if (methods.includes(req.method ?? '')) return true;
  res.writeHead(405, { allow: methods.join(', '), 'content-type': 'text/plain; charset=utf-8' });
  res.end('Method Not Allowed\n');
  return false;
}

function sendError(res: ServerResponse, error: EntraErrorResponse): void {
  sendJson(res, error.status, error.body, {
    'x-ms-request-id': error.body.trace_id,
    'client-request-id': error.body.correlation_id,
  });
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  const extra = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== ''));
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store, no-cache',
    'content-length': Buffer.byteLength(text),
    ...extra,
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBodyBytes) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
