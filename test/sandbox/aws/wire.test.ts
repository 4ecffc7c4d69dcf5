import { XMLParser } from 'fast-xml-parser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deployRole, startStsHarness, type StsHarness } from './harness.ts';

/**
 * The Query protocol on the wire, without an SDK in between (STS API reference, "Making Query
 * requests", "Common Errors", and the XML examples of "AssumeRoleWithWebIdentity").
 */
let h: StsHarness;
const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false });

beforeAll(async () => {
  h = await startStsHarness();
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  h.faults.clear();
});

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly xml: Record<string, unknown>;
  readonly text: string;
}

async function post(form: Record<string, string>, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(h.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams(form).toString(),
    ...init,
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    xml: parser.parse(text) as Record<string, unknown>,
    text,
  };
}

async function webIdentityForm(
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  return {
    Action: 'AssumeRoleWithWebIdentity',
    Version: '2011-06-15',
    RoleArn: deployRole,
    RoleSessionName: 'wire',
    WebIdentityToken: await h.issuer.mint(undefined, { audience: 'sts.amazonaws.com' }),
    ...extra,
  };
}

function errorOf(answer: Answer): {
  Type: string;
  Code: string;
  Message: string;
  RequestId: string;
} {
  const body = answer.xml['ErrorResponse'] as {
    Error: { Type: string; Code: string; Message: string };
    RequestId: string;
  };
  return { ...body.Error, RequestId: body.RequestId };
}

describe('STS Query protocol bodies', () => {
  it('wraps a success in <ActionResponse xmlns=…2011-06-15/> with the Result and ResponseMetadata/RequestId', async () => {
    const answer = await post(await webIdentityForm());
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/xml');
    const response = answer.xml['AssumeRoleWithWebIdentityResponse'] as Record<string, unknown>;
    expect(response['@_xmlns']).toBe('https://sts.amazonaws.com/doc/2011-06-15/');
    const result = response['AssumeRoleWithWebIdentityResult'] as Record<
      string,
      Record<string, string>
    >;
    expect(Object.keys(result['Credentials']!)).toEqual([
      'AccessKeyId',
      'SecretAccessKey',
      'SessionToken',
      'Expiration',
    ]);
    expect(result['Credentials']!['Expiration']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const requestId = (response['ResponseMetadata'] as { RequestId: string }).RequestId;
    expect(answer.headers.get('x-amzn-requestid')).toBe(requestId);
  });

  it('answers errors as <ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error><RequestId>', async () => {
    const answer = await post(await webIdentityForm({ RoleSessionName: 'x' }));
    expect(answer.status).toBe(400);
    const error = errorOf(answer);
    expect(error.Type).toBe('Sender');
    expect(error.Code).toBe('ValidationError');
    expect(error.RequestId).toBe(answer.headers.get('x-amzn-requestid'));
    expect(
      answer.text.startsWith('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'),
    ).toBe(true);
  });

  it('escapes caller text echoed in a message', async () => {
    const answer = await post(await webIdentityForm({ RoleSessionName: 'a<b>&"c' }));
    expect(answer.text).toContain('a&lt;b&gt;&amp;&quot;c');
    expect(errorOf(answer).Message).toContain(`'a<b>&"c'`);
  });

  it('reports several violated constraints in one ValidationError', async () => {
    const answer = await post(
      await webIdentityForm({ RoleSessionName: 'x', DurationSeconds: '60' }),
    );
    expect(errorOf(answer).Message).toMatch(
      /^2 validation errors detected: .*roleSessionName.*; .*durationSeconds/,
    );
  });

  it('names a missing required parameter as null', async () => {
    const form = await webIdentityForm();
    delete form['RoleArn'];
    const answer = await post(form);
    expect(errorOf(answer).Message).toBe(
      "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
    );
  });

  it('refuses an unknown action or API version with InvalidAction, and no action with MissingAction', async () => {
    const unknown = await post({ Action: 'GetSessionToken', Version: '2011-06-15' });
    expect(unknown.status).toBe(400);
    expect(errorOf(unknown)).toMatchObject({
      Code: 'InvalidAction',
      Message: 'Could not find operation GetSessionToken for version 2011-06-15',
    });
    const oldVersion = await post({ Action: 'GetCallerIdentity', Version: '2010-01-01' });
    expect(errorOf(oldVersion).Code).toBe('InvalidAction');
    const none = await post({ Version: '2011-06-15' });
    expect(errorOf(none).Code).toBe('MissingAction');
  });

  it('accepts the same parameters in a GET query string', async () => {
    const query = new URLSearchParams(await webIdentityForm()).toString();
    const response = await fetch(`${h.endpoint}/?${query}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<AssumeRoleWithWebIdentityResult>');
  });

  it('refuses a body far larger than any valid request, still answering in XML', async () => {
    const answer = await post({
      Action: 'AssumeRoleWithWebIdentity',
      WebIdentityToken: 'x'.repeat(300 * 1024),
    });
    expect(answer.status).toBe(400);
    expect(errorOf(answer).Code).toBe('ValidationError');
  });

  it('stamps answers with a Date header from its own clock', async () => {
    h.advanceClock(3600);
    try {
      const answer = await post({ Version: '2011-06-15' });
      const date = Date.parse(answer.headers.get('date') ?? '');
      expect(date - Date.now()).toBeGreaterThan(3500_000);
    } finally {
      h.resetClock();
    }
  });
});

describe('STS fault knobs on the wire', () => {
  it('renders an injected error without a code as InternalFailure, a Receiver fault with HTTP 500', async () => {
    h.faults.set({ errorRate: 1, remaining: 1 });
    const answer = await post(await webIdentityForm());
    expect(answer.status).toBe(500);
    expect(errorOf(answer)).toMatchObject({ Type: 'Receiver', Code: 'InternalFailure' });
  });

  it('renders an injected documented code with its documented status', async () => {
    h.faults.set({ errorRate: 1, errorCode: 'RegionDisabledException', remaining: 1 });
    const answer = await post(await webIdentityForm());
    expect(answer.status).toBe(403);
    expect(errorOf(answer).Code).toBe('RegionDisabledException');
  });

  it('renders a throttle as Throttling / "Rate exceeded" with HTTP 400', async () => {
    h.faults.set({ throttleRate: 1, remaining: 1 });
    const answer = await post(await webIdentityForm());
    expect(answer.status).toBe(400);
    expect(errorOf(answer)).toMatchObject({
      Type: 'Sender',
      Code: 'Throttling',
      Message: 'Rate exceeded',
    });
  });

  it('resets the connection without an answer', async () => {
    h.faults.set({ resetRate: 1, remaining: 1 });
    await expect(post(await webIdentityForm())).rejects.toThrow();
    const after = await post(await webIdentityForm());
    expect(after.status).toBe(200);
  });
});
