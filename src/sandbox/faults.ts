/**
 * Fault knobs shared by every emulator. Each emulator owns one FaultInjector and asks it, per
 * request, what to do; `wif sandbox --fault <emulator>:<knob>=<value>` and the control
 * endpoint (`PUT /faults/<emulator>` on the sandbox control server) change the settings live.
 *
 * What an "error" or "throttle" looks like on the wire is the emulator's business: AWS answers
 * `Throttling` XML, GCP a 429 envelope, Entra an AADSTS body. The injector only decides.
 */
export interface FaultSettings {
  /** Probability in [0, 1] that a request fails with `errorCode` (or the emulator's default error). */
  readonly errorRate: number;
  /** A specific service error code to inject, e.g. `IDPCommunicationError` or `AADSTS70021`. */
  readonly errorCode: string | undefined;
  /** Probability in [0, 1] that a request is throttled. */
  readonly throttleRate: number;
  /** Added latency per request in milliseconds. */
  readonly latencyMs: number;
  /** Probability in [0, 1] that the connection is reset without an answer. */
  readonly resetRate: number;
  /** When set, only this many more requests are affected; then the knobs return to none. */
  readonly remaining: number | undefined;
}

export type FaultDecision =
  | { readonly kind: 'none'; readonly latencyMs: number }
  | { readonly kind: 'error'; readonly code: string | undefined; readonly latencyMs: number }
  | { readonly kind: 'throttle'; readonly latencyMs: number }
  | { readonly kind: 'reset'; readonly latencyMs: number };

export const noFaults: FaultSettings = {
  errorRate: 0,
  errorCode: undefined,
  throttleRate: 0,
  latencyMs: 0,
  resetRate: 0,
  remaining: undefined,
};

export class FaultInjector {
  private current: FaultSettings = noFaults;
  readonly emulator: string;
  private readonly random: () => number;

  constructor(emulator: string, random: () => number = Math.random) {
    this.emulator = emulator;
    this.random = random;
  }

  get settings(): FaultSettings {
    return this.current;
  }

  set(settings: Partial<FaultSettings>): FaultSettings {
    const next = { ...this.current, ...settings };
    validate(next);
    this.current = next;
    return next;
  }

  clear(): void {
    this.current = noFaults;
  }

  /** Decides the fate of one request and consumes one unit of `remaining`. */
  decide(): FaultDecision {
    const s = this.current;
    const latencyMs = s.latencyMs;
    let decision: FaultDecision = { kind: 'none', latencyMs };
    if (s.resetRate > 0 && this.random() < s.resetRate) decision = { kind: 'reset', latencyMs };
    else if (s.throttleRate > 0 && this.random() < s.throttleRate)
      decision = { kind: 'throttle', latencyMs };
    else if (s.errorRate > 0 && this.random() < s.errorRate)
      decision = { kind: 'error', code: s.errorCode, latencyMs };
    if (decision.kind !== 'none' && s.remaining !== undefined) {
      const remaining = s.remaining - 1;
      this.current = remaining <= 0 ? noFaults : { ...s, remaining };
    }
    return decision;
  }
}

function validate(s: FaultSettings): void {
  for (const [name, rate] of [
    ['errorRate', s.errorRate],
    ['throttleRate', s.throttleRate],
    ['resetRate', s.resetRate],
  ] as const) {
    if (!(rate >= 0 && rate <= 1))
      throw new RangeError(`${name} must be between 0 and 1, got ${rate}`);
  }
  if (!(s.latencyMs >= 0 && s.latencyMs <= 120_000))
    throw new RangeError(`latencyMs must be between 0 and 120000, got ${s.latencyMs}`);
  if (s.remaining !== undefined && !(Number.isInteger(s.remaining) && s.remaining > 0))
    throw new RangeError(`remaining must be a positive integer, got ${s.remaining}`);
}

/**
 * Parses one `--fault` flag value, `<emulator>:<knob>=<value>[,<knob>=<value>…]`, e.g.
 * `aws-sts:errorRate=1,errorCode=Throttling,remaining=2`.
 */
export function parseFaultFlag(flag: string): {
  emulator: string;
  settings: Partial<FaultSettings>;
} {
  const colon = flag.indexOf(':');
  if (colon <= 0)
    throw new RangeError(`--fault "${flag}" must look like <emulator>:<knob>=<value>`);
  const emulator = flag.slice(0, colon);
  const settings: Record<string, number | string> = {};
  for (const pair of flag.slice(colon + 1).split(',')) {
    const [key, raw] = pair.split('=', 2);
    if (key === undefined || raw === undefined || key === '')
      throw new RangeError(`--fault "${flag}": "${pair}" is not <knob>=<value>`);
    if (key === 'errorCode') settings[key] = raw;
    else if (['errorRate', 'throttleRate', 'resetRate', 'latencyMs', 'remaining'].includes(key)) {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new RangeError(`--fault "${flag}": ${key} must be a number`);
      settings[key] = n;
    } else {
      throw new RangeError(
        `--fault "${flag}": unknown knob "${key}" (errorRate, errorCode, throttleRate, latencyMs, resetRate, remaining)`,
      );
    }
  }
  return { emulator, settings };
}
