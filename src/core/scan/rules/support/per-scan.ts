/**
 * Memoises a cross-file lookup once per scan. Rules run once per document; a lookup over every
 * document (all Vault roles, all server configs) computed per call would make a scan quadratic.
 */
import type { ScanContext } from '../../rule.ts';

const caches = new WeakMap<ScanContext, Map<unknown, unknown>>();

/** `compute(context)`, evaluated at most once per scan context and `compute` function. */
export function perScan<T>(context: ScanContext, compute: (context: ScanContext) => T): T {
  let cache = caches.get(context);
  if (cache === undefined) {
    cache = new Map();
    caches.set(context, cache);
  }
  if (cache.has(compute)) return cache.get(compute) as T;
  const value = compute(context);
  cache.set(compute, value);
  return value;
}
