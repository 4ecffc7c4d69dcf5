import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { WifError } from '../../core/errors.ts';
import type { EmulatorContext, EmulatorDefinition, RunningEmulator } from '../emulator.ts';
import { closeServer } from '../oidc/issuer.ts';
import { verifyOidcToken } from '../verify-token.ts';
import { parseGcpConfig, providerResource, type GcpConfig } from './config.ts';
import { handleIamCredentials } from './iamcredentials.ts';
import { CLOCK_SKEW_SECONDS, exchangeToken, parseStsBody } from './sts.ts';
import { tokenInfo } from './tokeninfo.ts';
import { AccessTokenStore, GOOGLE_ISSUER, IdTokenSigner } from './tokens.ts';
import {
  googleError,
  injectedErrorResponse,
  isKnownErrorCode,
  throttledResponse,
  type GcpService,
  type WireResponse,
} from './wire.ts';

/**
 * The GCP emulator: Security Token Service, IAM Credentials and OAuth2 tokeninfo on one
 * loopback server, as the public API documentation describes them. One host stands in for
 * sts.googleapis.com, iamcredentials.googleapis.com and oauth2.googleapis.com; the paths do
 * not overlap.
 */
export const gcpEmulator: EmulatorDefinition = {
  name: 'gcp',
  summary: 'GCP STS token exchange, IAM Credentials generateAccessToken/generateIdToken, tokeninfo',
  start: startGcp,
};

const MAX_BODY_BYTES = 1024 * 1024;
const IAM_CREDENTIALS_ROUTE = /^\/v1\/projects\/([^/]+)\/serviceAccounts\/([^/:]+):([A-Za-z]+)$/;

async function startGcp(context: EmulatorContext): Promise<RunningEmulator> {
  const issuerUrl = context.issuerUrl;
  if (issuerUrl === undefined) {
    throw new WifError('internal', 'The gcp emulator started without the sandbox OIDC issuer.', {
      fix: 'Start it through `wif sandbox`, which starts the issuer first.',
    });
  }
  const config = parseGcpConfig(context.config, issuerUrl);
  const store = new AccessTokenStore();
  const signer = await IdTokenSigner.create();
  const now = (): number => Date.now();
  const verify = (token: string, issuer: string) =>
    verifyOidcToken(token, {
      trustedIssuers: [issuer],
      // Allowed audiences are part of the provider's trust configuration: the policy engine checks them.
      audience: () => true,
      clockToleranceSeconds: CLOCK_SKEW_SECONDS,
    });
  const onDecision = (decision: { accepted: boolean; hint?: string }): void => {
    if (!decision.accepted && decision.hint !== undefined)
      context.log(`gcp: refused: ${decision.hint}`);
  };

  const route = async (req: IncomingMessage, url: URL, body: string): Promise<WireResponse> => {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (path === '/v1/token' && method === 'POST') {
      const parsed = parseStsBody(req.headers['content-type'], body);
      if (!parsed.ok) return parsed.response;
      return exchangeToken(parsed.params, { config, store, now, verify, onDecision });
    }
    const iam = IAM_CREDENTIALS_ROUTE.exec(safeDecode(path));
    if (iam !== null && method === 'POST') {
      return handleIamCredentials(
        {
          project: iam[1] ?? '',
          account: iam[2] ?? '',
          verb: iam[3] ?? '',
          authorization: req.headers.authorization,
          body,
        },
        { config, store, signer, now, onDecision },
      );
    }
    if (
      (path === '/tokeninfo' || path === '/oauth2/v3/tokeninfo') &&
      (method === 'GET' || method === 'POST')
    ) {
      const form = method === 'POST' ? new URLSearchParams(body) : new URLSearchParams();
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
      const pick = (name: string): string | undefined =>
        url.searchParams.get(name) ?? form.get(name) ?? undefined;
      return tokenInfo(
        { accessToken: pick('access_token') ?? bearer, idToken: pick('id_token') },
        { store, signer, now },
      );
    }
    if (path === '/oauth2/v3/certs' && method === 'GET')
      return { status: 200, body: signer.jwks() };
    if (path === '/oauth2/v1/certs' && method === 'GET')
      return { status: 200, body: signer.pemCerts() };
    return googleError('NOT_FOUND', `The requested URL ${path} was not found on this server.`);
  };

  let base = '';
  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      context.log(`gcp: internal error: ${error instanceof Error ? error.message : String(error)}`);
      if (res.headersSent) res.destroy();
      else send(res, googleError('INTERNAL', 'Internal error encountered.'));
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const body = await readBody(req);
    const decision = context.faults.decide();
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    // Only the path is logged: tokeninfo carries the token in its query.
    const line = (status: number | string): void => {
      context.log(`gcp: ${req.method ?? 'GET'} ${url.pathname} → ${status}`);
    };
    switch (decision.kind) {
      case 'reset':
        line('connection reset (injected)');
        req.socket.destroy();
        return;
      case 'throttle': {
        const answer = throttledResponse(serviceOf(url.pathname), config.projectNumber);
        line(`${answer.status} (injected throttle)`);
        send(res, answer);
        return;
      }
      case 'error': {
        if (decision.code !== undefined && !isKnownErrorCode(decision.code)) {
          context.log(
            `gcp: injected errorCode "${decision.code}" is neither an OAuth error nor a google.rpc status; answering UNAVAILABLE`,
          );
        }
        const answer = injectedErrorResponse(decision.code);
        line(`${answer.status} (injected error)`);
        send(res, answer);
        return;
      }
      case 'none':
        break;
    }
    if (body === undefined) {
      send(
        res,
        googleError('INVALID_ARGUMENT', `The request body exceeds ${MAX_BODY_BYTES} bytes.`),
      );
      return;
    }
    const answer = await route(req, url, body);
    line(answer.status);
    send(res, answer);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(context.port, context.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  base = `http://${context.host}:${(server.address() as AddressInfo).port}`;
  context.log(`gcp: listening on ${base} (project ${config.projectNumber}, ${describe(config)})`);

  return {
    name: gcpEmulator.name,
    urls: {
      sts: `${base}/v1/token`,
      iamcredentials: `${base}/v1`,
      tokeninfo: `${base}/oauth2/v3/tokeninfo`,
      certs: `${base}/oauth2/v3/certs`,
    },
    env: gcpEnvironment(base, config),
    close: () => closeServer(server),
  };
}

/**
 * `GHA_ENDPOINT_OVERRIDE_<endpoint>` is how google-github-actions/auth points its `sts` and
 * `iamcredentials` endpoints (base URLs ending in `/v1`) at another host.
 */
export function gcpEnvironment(base: string, config: GcpConfig): Record<string, string> {
  const env: Record<string, string> = {
    GHA_ENDPOINT_OVERRIDE_sts: `${base}/v1`,
    GHA_ENDPOINT_OVERRIDE_iamcredentials: `${base}/v1`,
    WIF_GCP_STS_URL: `${base}/v1/token`,
    WIF_GCP_IAMCREDENTIALS_URL: `${base}/v1`,
    WIF_GCP_TOKENINFO_URL: `${base}/oauth2/v3/tokeninfo`,
    WIF_GCP_PROJECT_ID: config.projectId,
    WIF_GCP_PROJECT_NUMBER: config.projectNumber,
  };
  const pool = config.pools.find((p) => !p.disabled);
  const provider = pool?.providers.find((p) => !p.disabled);
  if (pool !== undefined && provider !== undefined) {
    env.WIF_GCP_WORKLOAD_IDENTITY_PROVIDER = providerResource(config, pool, provider);
  }
  const account = config.serviceAccounts.find((a) => !a.disabled);
  if (account !== undefined) env.WIF_GCP_SERVICE_ACCOUNT = account.email;
  return env;
}

function serviceOf(path: string): GcpService {
  if (path === '/v1/token') return 'sts';
  if (path.startsWith('/v1/projects/')) return 'iamcredentials';
  return 'oauth2';
}

function describe(config: GcpConfig): string {
  const providers = config.pools.reduce((n, p) => n + p.providers.length, 0);
  return `${config.pools.length} pool(s), ${providers} provider(s), ${config.serviceAccounts.length} service account(s); ID tokens signed as ${GOOGLE_ISSUER}`;
}

/** The whole body as text, or undefined when it is larger than the emulator accepts. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) tooLarge = true;
    else chunks.push(chunk);
  }
  return tooLarge ? undefined : Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, answer: WireResponse): void {
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-cache, no-store, max-age=0, must-revalidate',
  });
  res.end(text);
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
