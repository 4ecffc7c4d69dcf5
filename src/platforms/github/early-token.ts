import * as core from '@actions/core';
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

/**
 * The token request an action entry starts before it loads anything else, so the request is
 * in flight while the exchange code and its SDK load (the runner's first request is the
 * critical path of every step). It is still `getIDToken`, which masks the token; the GitHub
 * token source consumes the result for the same audience once, then asks afresh.
 */
type Outcome =
  { readonly ok: true; readonly token: string } | { readonly ok: false; readonly error: unknown };

const started = new Map<string, Promise<Outcome>>();
let sent: Promise<void> = Promise.resolve();

export function prefetchIdToken(audience: string | undefined): void {
  const env = process.env;
  if (!env['ACTIONS_ID_TOKEN_REQUEST_URL'] || !env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']) return;
  const key = audience ?? '';
  if (started.has(key)) return;
  sent = requestSent(100);
  started.set(
    key,
    core.getIDToken(audience).then(
      (token): Outcome => ({ ok: true, token }),
      (error: unknown): Outcome => ({ ok: false, error }),
    ),
  );
}

/** The prefetched outcome for this audience, once; undefined when none was started. */
export function takePrefetchedIdToken(audience: string | undefined): Promise<Outcome> | undefined {
  const key = audience ?? '';
  const outcome = started.get(key);
  started.delete(key);
  return outcome;
}

/**
 * Resolves once the prefetched request has been written to the socket (or after `capMs`).
 * Loading the rest of the action compiles a lot of code on the only thread; started before the
 * request is actually sent, it would hold the request back instead of overlapping with it.
 */
export function prefetchSent(): Promise<void> {
  return sent;
}

function requestSent(capMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, capMs);
    function done(): void {
      clearTimeout(timer);
      diagnostics.unsubscribe('http.client.request.start', onStart);
      resolve();
    }
    function onStart(message: unknown): void {
      const request = (message as { request?: ClientRequest }).request;
      if (request === undefined) return;
      request.once('finish', done);
      request.once('error', done);
      request.once('close', done);
    }
    diagnostics.subscribe('http.client.request.start', onStart);
  });
}
