/**
 * Compares a Vault role's TTL fields with limits, for the rules that bound token lifetimes.
 * A TTL of 0 (or an absent one, where the rule says so) means "the mount default", which is
 * 32 days unless tuned, so it counts as unbounded.
 */
import type { DocPath } from '../../document.ts';
import type { Severity } from '../../severity.ts';
import { durationSeconds, formatSeconds } from './durations.ts';
import type { VaultRole } from './vault-roles.ts';
import { roleField } from './vault-roles.ts';

export interface TtlLimit {
  /** Field names, first match wins (`token_ttl`, then the older `ttl`). */
  readonly keys: readonly string[];
  /** Steps of [seconds, severity], ascending: the highest exceeded step applies. */
  readonly steps: readonly (readonly [number, Severity])[];
  /** Report an unset or zero TTL (mount default) at the first step's severity or this one. */
  readonly unset?: Severity;
}

export interface TtlViolation {
  readonly path: DocPath;
  readonly key: string;
  readonly severity: Severity;
  /** `2h`, or `unset` / `0 (mount default)`. */
  readonly shown: string;
  readonly limit: string;
}

export function ttlViolation(role: VaultRole, limit: TtlLimit): TtlViolation | undefined {
  const field = roleField(role, ...limit.keys);
  const first = limit.steps[0];
  if (first === undefined) return undefined;
  const limitText = formatSeconds(first[0]);
  const key = field?.key ?? limit.keys[0] ?? 'ttl';
  const seconds = durationSeconds(field?.value);
  if (field === undefined || seconds === 0) {
    if (limit.unset === undefined) return undefined;
    return {
      path: field?.path ?? role.path,
      key,
      severity: limit.unset,
      shown: field === undefined ? 'unset (mount default)' : '0 (mount default)',
      limit: limitText,
    };
  }
  if (seconds === undefined) return undefined;
  let severity: Severity | undefined;
  for (const [threshold, level] of limit.steps) if (seconds > threshold) severity = level;
  if (severity === undefined) return undefined;
  return { path: field.path, key, severity, shown: formatSeconds(seconds), limit: limitText };
}
