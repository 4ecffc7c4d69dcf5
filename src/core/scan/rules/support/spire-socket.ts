/**
 * The SPIRE Workload API socket on the node: the only host path an ordinary workload may mount,
 * read-only, as an existing directory.
 */
import { isObject } from '../../document.ts';
import type { VolumeRef } from './pod-volumes.ts';

export const SPIRE_SOCKET_DIR = '/run/spire/sockets';
/** Namespaces where the SPIRE server and agent themselves run. */
export const SPIRE_NAMESPACES: ReadonlySet<string> = new Set(['spire', 'spire-system']);

export function hostPathOf(volume: VolumeRef): string | undefined {
  const hostPath = volume.volume['hostPath'];
  if (!isObject(hostPath)) return undefined;
  return typeof hostPath['path'] === 'string' ? hostPath['path'] : '';
}

export function isSpireSocketPath(path: string): boolean {
  const normalised = path.replace(/\/+$/, '');
  return normalised === SPIRE_SOCKET_DIR || normalised.startsWith(`${SPIRE_SOCKET_DIR}/`);
}
