import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JWK } from 'jose';
import type { Claims } from '../../core/token/claims.ts';
import { FaultInjector } from '../faults.ts';
import { discoveryDocument, discoveryPath, jwksPath } from './discovery.ts';
import type { GitHubJobSpec } from './github-claims.ts';
import { KeyRing } from './keys.ts';
import { claimsFor, signClaims, type MintOptions, type TokenProfile } from './mint.ts';
import { JobRegistry, vssError } from './token-endpoint.ts';

export interface IssuerOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  readonly faults?: FaultInjector;
  readonly log?: (line: string) => void;
}

/** A GitHub job registered with the token request endpoint, as a runner would see it. */
export interface IssuerJob {
  /** `ACTIONS_ID_TOKEN_REQUEST_URL`: already carries `?api-version=2.0`. */
  readonly requestUrl: string;
  /** `ACTIONS_ID_TOKEN_REQUEST_TOKEN`. */
  readonly requestToken: string;
  /** Marks the job completed: its endpoint then refuses to issue tokens, as GitHub's does. */
  complete(): void;
}

export interface IssuerHandle {
  /** The issuer URL, `http://127.0.0.1:<port>`; every token's `iss` unless overridden. */
  readonly url: string;
  /** Signs a token for a profile (default: the default GitHub job). */
  mint(profile?: TokenProfile, options?: MintOptions): Promise<string>;
  /** The claims `mint` would sign, without signing them. */
  claims(profile?: TokenProfile, options?: MintOptions): Claims;
  /** Registers a job; `tokenLifetimeSeconds` shortens its tokens (refresh-mode tests). */
  addJob(spec?: GitHubJobSpec, options?: { tokenLifetimeSeconds?: number }): IssuerJob;
  /** New current keys; the previous ones stay in the JWKS until the next rotation. */
  rotate(): Promise<void>;
  jwks(): { keys: JWK[] };
  close(): Promise<void>;
}

const defaultProfile: TokenProfile = { platform: 'github' };

/**
 * Issuer prefixes let one server act as several issuers sharing its keys, e.g. a GitLab
 * instance at `<url>/gitlab` or a GitHub enterprise issuer at `<url>/<slug>`.
 */
const prefixPattern = '((?:/[A-Za-z0-9._-]+)*)';
const discoveryRoute = new RegExp(`^${prefixPattern}${discoveryPath.replaceAll('.', '\\.')}$`);
const jwksRoute = new RegExp(
  `^${prefixPattern}(?:${jwksPath.replaceAll('.', '\\.')}|/oauth/discovery/keys|/openid/v1/jwks)$`,
);

export async function startIssuer(options: IssuerOptions = {}): Promise<IssuerHandle> {
  const keys = await KeyRing.create();
  const jobs = new JobRegistry();
  const faults = options.faults ?? new FaultInjector('issuer');
  const log = options.log ?? (() => undefined);
  let url = '';

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`issuer: internal error: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent)
        sendJson(res, 500, vssError('Internal error.', 'InternalServerException'));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = new URL(req.url ?? '/', url);
    const method = req.method ?? 'GET';
    const decision = faults.decide();
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    switch (decision.kind) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'throttle':
        sendJson(res, 429, vssError('Request was throttled.', 'RequestThrottledException'), {
          'retry-after': '1',
        });
        return;
      case 'error':
        sendJson(
          res,
          faultStatus(decision.code),
          vssError('Injected failure.', 'InjectedFaultException'),
        );
        return;
      case 'none':
        break;
    }

    if (JobRegistry.matches(target.pathname)) {
      const outcome = jobs.handle(method, target, req.headers.authorization);
      if (outcome.kind === 'reply') {
        sendJson(res, outcome.status, outcome.body, outcome.headers);
        return;
      }
      const lifetime = outcome.job.tokenLifetimeSeconds;
      const token = await mint(
        { platform: 'github', ...outcome.job.spec },
        {
          ...(outcome.audience === undefined ? {} : { audience: outcome.audience }),
          ...(lifetime === undefined ? {} : { lifetimeSeconds: lifetime }),
        },
      );
      log(`issuer: issued a GitHub token for job ${outcome.job.job}`);
      sendJson(res, 200, { value: token }, { 'cache-control': 'no-store' });
      return;
    }

    const discovery = discoveryRoute.exec(target.pathname);
    const jwks = jwksRoute.exec(target.pathname);
    if (discovery === null && jwks === null) {
      sendJson(res, 404, { message: `No route for ${target.pathname}.` });
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      sendJson(res, 405, { message: `${method} is not allowed here.` }, { allow: 'GET, HEAD' });
      return;
    }
    if (discovery !== null) sendJson(res, 200, discoveryDocument(`${url}${discovery[1] ?? ''}`));
    else sendJson(res, 200, keys.jwks());
  }

  async function mint(
    profile: TokenProfile = defaultProfile,
    mintOptions: MintOptions = {},
  ): Promise<string> {
    return signClaims(keys, claimsFor(profile, url, mintOptions), mintOptions.alg ?? 'RS256');
  }

  function addJob(
    spec: GitHubJobSpec = {},
    options: { tokenLifetimeSeconds?: number } = {},
  ): IssuerJob {
    const job = jobs.add(spec, options.tokenLifetimeSeconds);
    return {
      requestUrl: `${url}${job.path}?api-version=2.0`,
      requestToken: job.requestToken,
      complete: () => {
        job.completed = true;
      },
    };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    mint,
    claims: (profile = defaultProfile, mintOptions = {}) => claimsFor(profile, url, mintOptions),
    addJob,
    rotate: () => keys.rotate(),
    jwks: () => keys.jwks(),
    close: () => closeServer(server),
  };
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

/** An injected `errorCode` may name an HTTP status (e.g. `503`, which clients retry). */
function faultStatus(code: string | undefined): number {
  const status = Number(code);
  return Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500;
}

/** Stops listening and drops kept-alive connections, so no port is left open. */
export async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve, reject) => {
    server.close((error) => {
      if (error === undefined) resolve();
      else reject(error);
    });
  });
  server.closeAllConnections();
  await closed;
}
