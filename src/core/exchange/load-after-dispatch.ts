import diagnostics from 'node:diagnostics_channel';

/**
 * Loads an SDK once the token request is on the wire: compiling an SDK holds the only thread
 * for a while, and started first it would delay the request instead of overlapping with it.
 * `http.client.request.start` is Node's signal that a request was sent; a token source that
 * makes no request (a file, a variable, a request already sent) releases the load when its
 * token is read.
 */
export function loadAfterDispatch<T>(
  pending: Promise<unknown>,
  load: () => Promise<T>,
): Promise<T> {
  const loaded = new Promise<void>((resolve) => {
    const release = (): void => {
      diagnostics.unsubscribe('http.client.request.start', release);
      setImmediate(resolve);
    };
    diagnostics.subscribe('http.client.request.start', release);
    pending.then(release, release);
  }).then(load);
  // Awaited only after the token: a failed token request must not leave the load unhandled.
  loaded.catch(() => undefined);
  return loaded;
}
