/**
 * Reads the TTLs configuration files write: Go/Vault duration strings (`1h30m`, `600s`, `10m`),
 * bare integers (seconds, as Vault and SPIRE accept them) and numeric strings.
 */

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
};

const DURATION = /^(?:(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/g;

/** Seconds in a TTL value, or undefined when it is not a literal duration (e.g. a `${var}`). */
export function durationSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(PART)) {
    total += Number(match[1]) * (UNIT_SECONDS[match[2] ?? ''] ?? 0);
  }
  return total;
}

/** `3600` → `1h`, `5400` → `1h30m`, `45` → `45s`: how findings quote a TTL back. */
export function formatSeconds(seconds: number): string {
  if (seconds <= 0) return '0s';
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [unit, size] of [
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('');
}
