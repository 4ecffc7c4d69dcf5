import { createHash, createHmac, timingSafeEqual, type Hash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Checksum, HttpRequest, QueryParameterBag, SourceData } from '@smithy/types';
import { stsError, type StsError } from './sts-error.ts';
import type { Session, SessionStore } from './sessions.ts';

/**
 * Authenticates a SigV4-signed request to this emulator (IAM User Guide, "AWS Signature
 * Version 4 for API requests" and "Create a signed AWS API request"): the access key must be
 * one this emulator issued and not expired, the session token must match it, the request time
 * must be within the allowed skew, and the signature recomputed over exactly the headers the
 * caller listed in `SignedHeaders` must equal the one sent.
 */
export interface ReceivedRequest {
  readonly method: string;
  /** Path without the query string, as received. */
  readonly path: string;
  /** Raw query string without `?`, as received. */
  readonly query: string;
  /** Lower-cased header names, as Node delivers them. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: Buffer;
}

export type Authentication =
  | { readonly ok: true; readonly session: Session }
  | { readonly ok: false; readonly error: StsError };

/**
 * "In most cases, a request must reach AWS within five minutes of the time stamp in the
 * request" (IAM User Guide, "Elements of an AWS API request signature").
 */
export const maxClockSkewSeconds = 300;

const algorithm = 'AWS4-HMAC-SHA256';

export async function authenticate(
  request: ReceivedRequest,
  sessions: SessionStore,
  now: Date,
): Promise<Authentication> {
  const authorization = header(request, 'authorization');
  if (authorization === undefined) return fail('MissingAuthenticationToken');
  const parsed = parseAuthorization(authorization);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const { accessKeyId, scope, signedHeaders, signature } = parsed;

  // AWS resolves the key before it looks at the signature: an unknown key is
  // InvalidClientTokenId whatever the signature says.
  const found = sessions.lookup(accessKeyId);
  if (found.kind === 'unknown') return fail('InvalidClientTokenId');
  const token = header(request, 'x-amz-security-token');
  if (token !== found.session.sessionToken) return fail('InvalidClientTokenId');
  if (found.kind === 'expired') return fail('ExpiredToken');

  const amzDate = header(request, 'x-amz-date');
  if (amzDate === undefined || !signedHeaders.includes('x-amz-date'))
    return fail(
      'IncompleteSignature',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined)
    return fail(
      'IncompleteSignature',
      `Date must be in ISO-8601 'basic format'. Got '${amzDate}'.`,
    );
  const skew = checkSkew(signedAt, amzDate, now);
  if (skew !== undefined) return { ok: false, error: skew };

  if (scope.date !== amzDate.slice(0, 8))
    return fail(
      'SignatureDoesNotMatch',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  if (scope.service !== 'sts')
    return fail('SignatureDoesNotMatch', `Credential should be scoped to correct service: 'sts'.`);
  if (!signedHeaders.includes('host'))
    return fail(
      'SignatureDoesNotMatch',
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );

  const expected = await recompute(request, found.session, scope.region, signedAt, signedHeaders);
  const sent = Buffer.from(signature, 'utf8');
  const mine = Buffer.from(expected, 'utf8');
  if (sent.length !== mine.length || !timingSafeEqual(sent, mine))
    return fail('SignatureDoesNotMatch');
  return { ok: true, session: found.session };
}

interface ParsedAuthorization {
  readonly ok: true;
  readonly accessKeyId: string;
  readonly scope: { readonly date: string; readonly region: string; readonly service: string };
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

function parseAuthorization(value: string): ParsedAuthorization | { ok: false; error: StsError } {
  const incomplete = (detail: string): { ok: false; error: StsError } => ({
    ok: false,
    error: stsError('IncompleteSignature', `${detail} Authorization=${value.split(' ')[0] ?? ''}`),
  });
  if (!value.startsWith(`${algorithm} `))
    return incomplete('Unsupported AWS authorization algorithm.');
  const fields = new Map<string, string>();
  for (const part of value.slice(algorithm.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (credential === undefined || signedHeaders === undefined || signature === undefined)
    return incomplete(
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.",
    );
  const [accessKeyId, date, region, service, terminator, ...rest] = credential.split('/');
  if (
    accessKeyId === undefined ||
    date === undefined ||
    region === undefined ||
    service === undefined ||
    terminator !== 'aws4_request' ||
    rest.length > 0
  )
    return incomplete(
      'Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term.',
    );
  if (!/^[0-9a-f]{64}$/.test(signature))
    return incomplete('Signature must be 64 lowercase hex characters.');
  return {
    ok: true,
    accessKeyId,
    scope: { date, region, service },
    signedHeaders: signedHeaders.split(';').map((name) => name.toLowerCase()),
    signature,
  };
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m === null) return undefined;
  const iso = `${m[1] ?? ''}-${m[2] ?? ''}-${m[3] ?? ''}T${m[4] ?? ''}:${m[5] ?? ''}:${m[6] ?? ''}Z`;
  const date = new Date(iso);
  // Date.parse rolls 2026-02-31 over to March; a real timestamp survives the round trip.
  return Number.isNaN(date.getTime()) || date.toISOString() !== iso.replace('Z', '.000Z')
    ? undefined
    : date;
}

function checkSkew(signedAt: Date, amzDate: string, now: Date): StsError | undefined {
  const nowText = formatAmzDate(now);
  const skewMinutes = maxClockSkewSeconds / 60;
  if (now.getTime() - signedAt.getTime() > maxClockSkewSeconds * 1000) {
    const earliest = formatAmzDate(new Date(now.getTime() - maxClockSkewSeconds * 1000));
    return stsError(
      'SignatureDoesNotMatch',
      `Signature expired: ${amzDate} is now earlier than ${earliest} (${nowText} - ${skewMinutes} min.)`,
    );
  }
  if (signedAt.getTime() - now.getTime() > maxClockSkewSeconds * 1000) {
    const latest = formatAmzDate(new Date(now.getTime() + maxClockSkewSeconds * 1000));
    return stsError(
      'SignatureDoesNotMatch',
      `Signature not yet current: ${amzDate} is still later than ${latest} (${nowText} + ${skewMinutes} min.)`,
    );
  }
  return undefined;
}

export function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replaceAll(/[-:]/g, '');
}

/** Signs a copy of the request carrying only the signed headers, with the session's secret. */
async function recompute(
  request: ReceivedRequest,
  session: Session,
  region: string,
  signedAt: Date,
  signedHeaders: readonly string[],
): Promise<string> {
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    // The signer adds x-amz-date and (from the credentials) x-amz-security-token itself.
    if (name === 'x-amz-date' || name === 'x-amz-security-token') continue;
    headers[name] = header(request, name) ?? '';
  }
  // The signer trusts a declared payload hash; the service must not. Hashing the body we
  // actually received makes a declared hash that does not match it fail the signature.
  if ('x-amz-content-sha256' in headers)
    headers['x-amz-content-sha256'] = createHash('sha256').update(request.body).digest('hex');
  const signsToken = signedHeaders.includes('x-amz-security-token');
  const signer = new SignatureV4({
    service: 'sts',
    region,
    credentials: {
      accessKeyId: session.accessKeyId,
      secretAccessKey: session.secretAccessKey,
      ...(signsToken ? { sessionToken: session.sessionToken } : {}),
    },
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const hostHeader = header(request, 'host') ?? '';
  const toSign: HttpRequest = {
    method: request.method,
    protocol: 'http:',
    hostname: hostHeader.replace(/:\d+$/, ''),
    path: request.path,
    query: queryBag(request.query),
    headers,
    body: request.body,
  };
  const signed = await signer.sign(toSign, {
    signingDate: signedAt,
    signableHeaders: new Set(signedHeaders),
  });
  const auth = signed.headers.authorization ?? '';
  return /Signature=([0-9a-f]{64})/.exec(auth)?.[1] ?? '';
}

function queryBag(query: string): QueryParameterBag {
  const bag: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    const existing = bag[key];
    if (existing === undefined) bag[key] = value;
    else bag[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return bag;
}

function header(request: ReceivedRequest, name: string): string | undefined {
  const value = request.headers[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.join(',');
}

function fail(
  code: Parameters<typeof stsError>[0],
  message?: string,
): { ok: false; error: StsError } {
  return { ok: false, error: stsError(code, message) };
}

/** SHA-256 and HMAC-SHA-256 from node:crypto in the shape the signer asks for. */
class NodeSha256 implements Checksum {
  private readonly secret: SourceData | undefined;
  private hash: Hash | ReturnType<typeof createHmac>;

  constructor(secret?: SourceData) {
    this.secret = secret;
    this.hash = NodeSha256.create(secret);
  }

  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }

  reset(): void {
    this.hash = NodeSha256.create(this.secret);
  }

  private static create(secret: SourceData | undefined): Hash | ReturnType<typeof createHmac> {
    if (secret === undefined) return createHash('sha256');
    const key =
      typeof secret === 'string'
        ? Buffer.from(secret, 'utf8')
        : ArrayBuffer.isView(secret)
          ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength)
          : Buffer.from(secret);
    return createHmac('sha256', key);
  }
}
