import { createHash, createHmac, type Hash } from 'node:crypto';
import type { SourceData } from '@smithy/types';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { parseRoleArn } from '../../../src/sandbox/aws/params.ts';
import { SessionStore, type Session } from '../../../src/sandbox/aws/sessions.ts';
import { authenticate, type ReceivedRequest } from '../../../src/sandbox/aws/sigv4.ts';

/**
 * SigV4 verification against requests signed by the SDK's own signer (IAM User Guide, "AWS
 * Signature Version 4 for API requests", "Create a signed AWS API request", "Elements of an
 * AWS API request signature"), with the emulator's clock pinned.
 */
const now = new Date('2026-06-01T12:00:00Z');
const body = 'Action=GetCallerIdentity&Version=2011-06-15';

class Sha256 {
  private readonly hash: Hash | ReturnType<typeof createHmac>;
  constructor(secret?: SourceData) {
    const key =
      typeof secret === 'string' || secret === undefined
        ? secret
        : ArrayBuffer.isView(secret)
          ? new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength)
          : new Uint8Array(secret);
    this.hash = key === undefined ? createHash('sha256') : createHmac('sha256', key);
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    // Each signing step builds a fresh instance; nothing to reset.
  }
}

function issue(clock: () => Date = () => now): { store: SessionStore; session: Session } {
  const store = new SessionStore(clock);
  const session = store.issue({
    role: parseRoleArn('arn:aws:iam::111122223333:role/ci')!,
    sessionName: 's1',
    durationSeconds: 3600,
    chained: false,
    sourceIdentity: undefined,
  });
  return { store, session };
}

async function signed(
  session: Pick<Session, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>,
  options: { at?: Date; service?: string; body?: string; applyChecksum?: boolean } = {},
): Promise<ReceivedRequest> {
  const signer = new SignatureV4({
    service: options.service ?? 'sts',
    region: 'us-east-1',
    credentials: session,
    sha256: Sha256,
    applyChecksum: options.applyChecksum ?? true,
  });
  const request = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4100,
      path: '/',
      query: {},
      headers: {
        host: '127.0.0.1:4100',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: options.body ?? body,
    },
    { signingDate: options.at ?? now },
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  return { method: 'POST', path: '/', query: '', headers, body: Buffer.from(body) };
}

describe('SigV4 verification of calls signed with issued credentials', () => {
  it('accepts a request signed by the SDK signer with the session credentials', async () => {
    const { store, session } = issue();
    const result = await authenticate(await signed(session), store, now);
    expect(result.ok && result.session.accessKeyId).toBe(session.accessKeyId);
  });

  it.each([
    ['declares its payload hash in x-amz-content-sha256', true],
    ['leaves the payload hash to the service', false],
  ])(
    'refuses a body changed after signing when the request %s: SignatureDoesNotMatch',
    async (_, applyChecksum) => {
      const { store, session } = issue();
      const request = await signed(session, { applyChecksum });
      expect('x-amz-content-sha256' in request.headers).toBe(applyChecksum);
      const tampered = { ...request, body: Buffer.from(`${body}&RoleArn=x`) };
      const result = await authenticate(tampered, store, now);
      expect(!result.ok && result.error.code).toBe('SignatureDoesNotMatch');
      expect(!result.ok && result.error.status).toBe(403);
    },
  );

  it('refuses a request without the session token: InvalidClientTokenId', async () => {
    const { store, session } = issue();
    const request = await signed(session);
    const { 'x-amz-security-token': _dropped, ...headers } = request.headers;
    const result = await authenticate({ ...request, headers }, store, now);
    expect(!result.ok && result.error.code).toBe('InvalidClientTokenId');
  });

  it('refuses a request with no Authorization header: MissingAuthenticationToken', async () => {
    const { store, session } = issue();
    const request = await signed(session);
    const { authorization: _dropped, ...headers } = request.headers;
    const result = await authenticate({ ...request, headers }, store, now);
    expect(!result.ok && result.error.code).toBe('MissingAuthenticationToken');
  });

  it('refuses an Authorization header that is not AWS4-HMAC-SHA256 with its three parts: IncompleteSignature', async () => {
    const { store, session } = issue();
    const request = await signed(session);
    const broken = {
      ...request,
      headers: { ...request.headers, authorization: 'AWS4-HMAC-SHA256 Credential=x' },
    };
    const result = await authenticate(broken, store, now);
    expect(!result.ok && result.error.code).toBe('IncompleteSignature');
    expect(!result.ok && result.error.status).toBe(400);
  });

  it('refuses a signature scoped to another service', async () => {
    const { store, session } = issue();
    const result = await authenticate(await signed(session, { service: 'iam' }), store, now);
    expect(!result.ok && result.error.message).toBe(
      "Credential should be scoped to correct service: 'sts'.",
    );
  });

  it('accepts up to five minutes of skew either way and refuses more', async () => {
    const { store, session } = issue();
    const within = await authenticate(
      await signed(session, { at: new Date(now.getTime() - 299_000) }),
      store,
      now,
    );
    expect(within.ok).toBe(true);
    const early = await authenticate(
      await signed(session, { at: new Date(now.getTime() + 301_000) }),
      store,
      now,
    );
    expect(!early.ok && early.error.message).toBe(
      'Signature not yet current: 20260601T120501Z is still later than 20260601T120500Z (20260601T120000Z + 5 min.)',
    );
    const late = await authenticate(
      await signed(session, { at: new Date(now.getTime() - 301_000) }),
      store,
      now,
    );
    expect(!late.ok && late.error.message).toBe(
      'Signature expired: 20260601T115459Z is now earlier than 20260601T115500Z (20260601T120000Z - 5 min.)',
    );
  });

  it('refuses an expired session with ExpiredToken before looking at the signature date', async () => {
    let clock = now;
    const { store, session } = issue(() => clock);
    clock = new Date(now.getTime() + 3600_000);
    const result = await authenticate(await signed(session), store, clock);
    expect(!result.ok && result.error.code).toBe('ExpiredToken');
  });
});
