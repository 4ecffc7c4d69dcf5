import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WifError } from '../../../src/core/errors.ts';
import { upsertPullRequestComment } from '../../../src/platforms/github/pr-comment.ts';

interface Comment {
  id: number;
  body: string;
}

/** A fake of the three GitHub REST endpoints the upsert uses, with Link-header pagination. */
let comments: Comment[];
let nextId: number;
let server: Server;
let baseUrl: string;
const calls: string[] = [];

async function bodyOf(request: IncomingMessage): Promise<{ body: string }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { body: string };
}

beforeAll(async () => {
  server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      calls.push(`${request.method ?? ''} ${url.pathname}${url.search}`);
      const json = (status: number, value: unknown, headers: Record<string, string> = {}): void => {
        response
          .writeHead(status, { 'content-type': 'application/json', ...headers })
          .end(JSON.stringify(value));
      };
      if (request.headers.authorization !== 'token test-token') {
        json(401, { message: 'Bad credentials' });
        return;
      }
      if (request.method === 'GET' && url.pathname === '/repos/acme/api/issues/7/comments') {
        const perPage = Number(url.searchParams.get('per_page') ?? '30');
        const page = Number(url.searchParams.get('page') ?? '1');
        const slice = comments.slice((page - 1) * perPage, page * perPage);
        const last = Math.max(1, Math.ceil(comments.length / perPage));
        const link =
          page < last
            ? {
                link: `<${baseUrl}/repos/acme/api/issues/7/comments?per_page=${perPage}&page=${page + 1}>; rel="next"`,
              }
            : {};
        json(200, slice, link);
      } else if (
        request.method === 'POST' &&
        url.pathname === '/repos/acme/api/issues/7/comments'
      ) {
        const { body } = await bodyOf(request);
        const comment = { id: nextId++, body };
        comments.push(comment);
        json(201, comment);
      } else if (
        request.method === 'PATCH' &&
        url.pathname.startsWith('/repos/acme/api/issues/comments/')
      ) {
        const id = Number(url.pathname.split('/').pop());
        const { body } = await bodyOf(request);
        const comment = comments.find((item) => item.id === id);
        if (comment === undefined) {
          json(404, { message: 'Not Found' });
          return;
        }
        comment.body = body;
        json(200, comment);
      } else {
        json(404, { message: 'Not Found' });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
});

beforeEach(() => {
  comments = Array.from({ length: 130 }, (_, index) => ({
    id: index + 1,
    body: `unrelated ${index}`,
  }));
  nextId = 1000;
  calls.length = 0;
});

const target = () => ({ token: 'test-token', owner: 'acme', repo: 'api', issueNumber: 7, baseUrl });
const MARKER = '<!-- wif-scan -->';

describe('pull-request comment upsert', () => {
  it('creates the comment on the first run', async () => {
    const result = await upsertPullRequestComment(target(), MARKER, `${MARKER}\nfirst`);
    expect(result).toEqual({ action: 'created', id: 1000 });
    expect(comments.at(-1)?.body).toBe(`${MARKER}\nfirst`);
  });

  it('edits the same comment in place on later runs, finding it past the first page', async () => {
    await upsertPullRequestComment(target(), MARKER, `${MARKER}\nfirst`);
    const second = await upsertPullRequestComment(target(), MARKER, `${MARKER}\nsecond`);
    expect(second).toEqual({ action: 'updated', id: 1000 });
    expect(comments.filter((comment) => comment.body.includes(MARKER))).toEqual([
      { id: 1000, body: `${MARKER}\nsecond` },
    ]);
    expect(calls).toContain('GET /repos/acme/api/issues/7/comments?per_page=100&page=2');
  });

  it('turns a refused token into one actionable error', async () => {
    const error = await upsertPullRequestComment(
      { ...target(), token: 'wrong' },
      MARKER,
      `${MARKER}\nx`,
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WifError);
    expect((error as WifError).code).toBe('denied');
    expect((error as WifError).fix).toMatch(/pull-requests: write/);
  });
});
