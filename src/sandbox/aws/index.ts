import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EmulatorContext, EmulatorDefinition, RunningEmulator } from '../emulator.ts';
import type { FaultDecision } from '../faults.ts';
import { verifyOidcToken } from '../verify-token.ts';
import { assumeRole } from './assume-role.ts';
import { getCallerIdentity } from './caller-identity.ts';
import { readAwsStsConfig } from './config.ts';
import { parseForm, type Params } from './params.ts';
import { newRequestId, SessionStore } from './sessions.ts';
import { authenticate, type ReceivedRequest } from './sigv4.ts';
import type { ActionOutcome, StsState } from './state.ts';
import { isStsErrorCode, stsError, type StsError } from './sts-error.ts';
import { assumeRoleWithWebIdentity } from './web-identity.ts';
import { errorXml, successXml, type XmlElement } from './xml.ts';

/**
 * AWS STS over the Query protocol (STS API reference, "Making Query requests"): `POST /` with a
 * form-encoded body (or `GET /?…`), dispatched on `Action`, answered in XML with
 * `x-amzn-RequestId`. `AssumeRoleWithWebIdentity` is unsigned; `AssumeRole` and
 * `GetCallerIdentity` must be SigV4-signed with credentials this emulator issued.
 */
export const apiVersion = '2011-06-15';

/** Far above any valid request (tokens ≤ 20,000 characters, policies ≤ 2,048), far below harm. */
const maxBodyBytes = 256 * 1024;

export interface AwsStsOptions {
  /** The emulator's clock (token lifetimes, session expiry, SigV4 skew). Default: the system clock. */
  readonly now?: () => Date;
}

export interface RunningAwsSts extends RunningEmulator {
  /** The issued sessions, e.g. to count or forget them between tests. */
  readonly sessions: SessionStore;
}

export const awsStsEmulator: EmulatorDefinition = {
  name: 'aws-sts',
  summary:
    'AWS STS Query API: AssumeRoleWithWebIdentity, AssumeRole (role chaining), GetCallerIdentity',
  start: (context) => startAwsSts(context),
};

export async function startAwsSts(
  context: EmulatorContext,
  options: AwsStsOptions = {},
): Promise<RunningAwsSts> {
  const config = readAwsStsConfig(context.config, context.issuerUrl);
  const now = options.now ?? (() => new Date());
  const sessions = new SessionStore(now);
  const state: StsState = { config, sessions, now, verifyToken: verifyOidcToken, log: context.log };

  const server = createServer((req, res) => {
    handle(req, res, state, context).catch((error: unknown) => {
      context.log(
        `aws-sts: internal error: ${error instanceof Error ? error.message : String(error)}`,
      );
      if (!res.headersSent) send(res, stsError('InternalFailure'), newRequestId());
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(context.port, context.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://${context.host}:${port}`;
  context.log(
    `aws-sts: listening on ${base}/ (region ${config.region}, ${config.roles.length} roles)`,
  );

  return {
    name: awsStsEmulator.name,
    urls: { sts: `${base}/` },
    env: { AWS_ENDPOINT_URL_STS: base, AWS_REGION: config.region },
    sessions,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error === undefined) resolve();
          else reject(error);
        });
        server.closeAllConnections();
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  state: StsState,
  context: EmulatorContext,
): Promise<void> {
  const requestId = newRequestId();
  // AWS stamps answers with its own clock; SDKs correct their skew from this header.
  res.setHeader('Date', state.now().toUTCString());
  const fault = context.faults.decide();
  if (fault.latencyMs > 0) await sleep(fault.latencyMs);
  if (fault.kind === 'reset') {
    req.socket.destroy();
    return;
  }

  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (req.method !== 'POST' && req.method !== 'GET') {
    res.setHeader('Allow', 'GET, POST');
    send(
      res,
      {
        ...stsError('InvalidAction', `The ${req.method ?? ''} method is not supported; use POST.`),
        status: 405,
      },
      requestId,
    );
    return;
  }
  const body = await readBody(req);
  if (body === undefined) {
    send(res, stsError('ValidationError', 'The request body is too large.'), requestId);
    return;
  }

  const injected = injectedError(fault);
  if (injected !== undefined) {
    send(res, injected, requestId);
    return;
  }

  const params = new Map([
    ...parseForm(url.search.slice(1)),
    ...parseForm(isForm(req) ? body.toString('utf8') : ''),
  ]);
  const outcome = await dispatch(
    params,
    {
      method: req.method,
      path: url.pathname,
      query: url.search.slice(1),
      headers: req.headers,
      body,
    },
    state,
  );
  if (outcome.kind === 'error') send(res, outcome.error, requestId);
  else {
    const xml = successXml(outcome.action, outcome.result, requestId);
    res.writeHead(200, {
      'Content-Type': 'text/xml',
      'x-amzn-RequestId': requestId,
      'Content-Length': Buffer.byteLength(xml),
    });
    res.end(xml);
  }
}

type Dispatched =
  | { readonly kind: 'ok'; readonly action: string; readonly result: XmlElement }
  | { readonly kind: 'error'; readonly error: StsError };

async function dispatch(
  params: Params,
  request: ReceivedRequest,
  state: StsState,
): Promise<Dispatched> {
  const action = params.get('Action');
  if (action === undefined || action === '')
    return { kind: 'error', error: stsError('MissingAction', 'Missing Action') };
  const version = params.get('Version');
  const known = ['AssumeRoleWithWebIdentity', 'AssumeRole', 'GetCallerIdentity'];
  if ((version !== undefined && version !== apiVersion) || !known.includes(action))
    return {
      kind: 'error',
      error: stsError(
        'InvalidAction',
        `Could not find operation ${action} for version ${version ?? apiVersion}`,
      ),
    };

  let outcome: ActionOutcome;
  if (action === 'AssumeRoleWithWebIdentity') {
    outcome = await assumeRoleWithWebIdentity(params, state);
  } else {
    const auth = await authenticate(request, state.sessions, state.now());
    if (!auth.ok) return { kind: 'error', error: auth.error };
    outcome =
      action === 'AssumeRole'
        ? assumeRole(params, auth.session, state)
        : getCallerIdentity(auth.session);
  }
  return outcome.ok
    ? { kind: 'ok', action, result: outcome.result }
    : { kind: 'error', error: outcome.error };
}

/** How STS would answer an injected fault: `Throttling` / "Rate exceeded", or the chosen code. */
function injectedError(fault: FaultDecision): StsError | undefined {
  if (fault.kind === 'throttle') return stsError('Throttling');
  if (fault.kind !== 'error') return undefined;
  const code = fault.code ?? 'InternalFailure';
  if (isStsErrorCode(code)) return stsError(code);
  return { code, status: 400, type: 'Sender', message: `Injected ${code}` };
}

function send(res: ServerResponse, error: StsError, requestId: string): void {
  const xml = errorXml(error, requestId);
  res.writeHead(error.status, {
    'Content-Type': 'text/xml',
    'x-amzn-RequestId': requestId,
    'Content-Length': Buffer.byteLength(xml),
  });
  res.end(xml);
}

function isForm(req: IncomingMessage): boolean {
  const type = req.headers['content-type'] ?? '';
  return type.toLowerCase().startsWith('application/x-www-form-urlencoded');
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Drain an oversized body rather than stop reading, so the error answer still gets through.
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= maxBodyBytes) chunks.push(buffer);
  }
  return size > maxBodyBytes ? undefined : Buffer.concat(chunks);
}
