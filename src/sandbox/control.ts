import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isWifError } from '../core/errors.ts';
import type { FaultInjector, FaultSettings } from './faults.ts';
import { readGitHubJobSpec } from './oidc/github-claims.ts';
import { closeServer, type IssuerHandle, type IssuerJob } from './oidc/issuer.ts';
import { readTokenProfile, type MintOptions } from './oidc/mint.ts';

/**
 * The sandbox's control server on 127.0.0.1, for tests and `wif sandbox token`:
 *   GET    /emulators                 names, URLs and fault settings
 *   PUT    /faults/<emulator>         JSON body of FaultSettings fields, merged into the current ones
 *   DELETE /faults/<emulator>         back to no faults
 *   POST   /github/jobs               JSON GitHub job description → a new job's request URL and token
 *   POST   /github/jobs/<id>/complete the job's endpoint then refuses, as after a real job ends
 *   POST   /tokens                    { profile?, audience?, lifetimeSeconds?, alg?, issuer? } → { token }
 * Tokens it mints are signed by the sandbox issuer, which only sandbox emulators trust.
 */
export interface ControlledEmulator {
  readonly name: string;
  readonly summary: string;
  readonly urls: Readonly<Record<string, string>>;
  readonly faults: FaultInjector;
}

export interface ControlServer {
  readonly url: string;
  close(): Promise<void>;
}

const maxBodyBytes = 64 * 1024;

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export async function startControlServer(options: {
  readonly port: number;
  readonly emulators: readonly ControlledEmulator[];
  readonly issuer: IssuerHandle;
}): Promise<ControlServer> {
  const jobs: IssuerJob[] = [];
  const byName = new Map(options.emulators.map((e) => [e.name, e]));

  async function route(req: IncomingMessage): Promise<{ status: number; body?: unknown }> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const method = req.method ?? 'GET';
    if (path === '/emulators') {
      allow(method, 'GET');
      return {
        status: 200,
        body: {
          emulators: options.emulators.map((e) => ({
            name: e.name,
            summary: e.summary,
            urls: e.urls,
            faults: e.faults.settings,
          })),
        },
      };
    }
    const fault = /^\/faults\/([^/]+)$/.exec(path);
    if (fault?.[1] !== undefined) {
      const emulator = byName.get(decodeURIComponent(fault[1]));
      if (emulator === undefined) throw new HttpError(404, `No emulator named "${fault[1]}".`);
      allow(method, 'PUT', 'DELETE');
      if (method === 'DELETE') {
        emulator.faults.clear();
        return { status: 204 };
      }
      const settings = readFaultSettings(await readJson(req));
      try {
        return { status: 200, body: { faults: emulator.faults.set(settings) } };
      } catch (error) {
        throw new HttpError(400, error instanceof Error ? error.message : String(error));
      }
    }
    if (path === '/github/jobs') {
      allow(method, 'POST');
      const spec = readGitHubJobSpec(await readJson(req), 'job');
      const job = options.issuer.addJob(spec);
      jobs.push(job);
      return {
        status: 201,
        body: {
          id: String(jobs.length - 1),
          requestUrl: job.requestUrl,
          requestToken: job.requestToken,
          env: {
            ACTIONS_ID_TOKEN_REQUEST_URL: job.requestUrl,
            ACTIONS_ID_TOKEN_REQUEST_TOKEN: job.requestToken,
          },
        },
      };
    }
    const complete = /^\/github\/jobs\/(\d+)\/complete$/.exec(path);
    if (complete?.[1] !== undefined) {
      allow(method, 'POST');
      const job = jobs[Number(complete[1])];
      if (job === undefined) throw new HttpError(404, `No job with id ${complete[1]}.`);
      job.complete();
      return { status: 204 };
    }
    if (path === '/tokens') {
      allow(method, 'POST');
      const request = readTokenRequest(await readJson(req));
      return {
        status: 200,
        body: { token: await options.issuer.mint(request.profile, request.options) },
      };
    }
    throw new HttpError(404, `No route for ${path}.`);
  }

  const server = createServer((req, res) => {
    route(req).then(
      (reply) => {
        send(res, reply.status, reply.body);
      },
      (error: unknown) => {
        if (error instanceof HttpError) send(res, error.status, { error: error.message });
        else if (isWifError(error)) send(res, 400, { error: error.message });
        else send(res, 500, { error: error instanceof Error ? error.message : String(error) });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => closeServer(server),
  };
}

function allow(method: string, ...allowed: string[]): void {
  if (!allowed.includes(method)) throw new HttpError(405, `Use ${allowed.join(' or ')} here.`);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBodyBytes) throw new HttpError(413, `The body exceeds ${maxBodyBytes} bytes.`);
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'The body is not JSON.');
  }
}

const faultKnobs = [
  'errorRate',
  'errorCode',
  'throttleRate',
  'latencyMs',
  'resetRate',
  'remaining',
];

/** FaultSettings fields from JSON; `null` clears `errorCode` or `remaining`. */
export function readFaultSettings(value: unknown): Partial<FaultSettings> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, `The body must be a JSON object of ${faultKnobs.join(', ')}.`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (!faultKnobs.includes(key)) {
      throw new HttpError(400, `Unknown fault knob "${key}" (${faultKnobs.join(', ')}).`);
    }
    const nullable = key === 'errorCode' || key === 'remaining';
    if (raw === null && nullable) out[key] = undefined;
    else if (key === 'errorCode' ? typeof raw === 'string' : typeof raw === 'number')
      out[key] = raw;
    else throw new HttpError(400, `Fault knob "${key}" has the wrong type.`);
  }
  return out;
}

function readTokenRequest(value: unknown): {
  profile: ReturnType<typeof readTokenProfile>;
  options: MintOptions;
} {
  const body = value ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'The body must be a JSON object.');
  }
  const { profile, audience, lifetimeSeconds, alg, issuer, ...rest } = body as Record<
    string,
    unknown
  >;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) throw new HttpError(400, `Unknown field "${unknown}".`);
  const options: { -readonly [K in keyof MintOptions]: MintOptions[K] } = {};
  if (audience !== undefined) {
    const list = Array.isArray(audience) && audience.every((a) => typeof a === 'string');
    if (typeof audience !== 'string' && !list)
      throw new HttpError(400, '"audience" must be a string or a list.');
    options.audience = audience;
  }
  if (lifetimeSeconds !== undefined) {
    if (typeof lifetimeSeconds !== 'number')
      throw new HttpError(400, '"lifetimeSeconds" must be a number.');
    options.lifetimeSeconds = lifetimeSeconds;
  }
  if (alg !== undefined) {
    if (alg !== 'RS256' && alg !== 'ES256')
      throw new HttpError(400, '"alg" must be RS256 or ES256.');
    options.alg = alg;
  }
  if (issuer !== undefined) {
    if (typeof issuer !== 'string') throw new HttpError(400, '"issuer" must be a string.');
    options.issuer = issuer;
  }
  return { profile: readTokenProfile(profile ?? { platform: 'github' }, 'profile'), options };
}
