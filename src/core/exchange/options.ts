import { WifError } from '../errors.ts';

/**
 * Target options as the three front doors give them: kebab-case names (the action's input
 * names, the CLI's flags without `--`, the keys of a wif.yaml target) mapped to strings. Each
 * target parses them into a typed config; a bad value names the option the way the user wrote
 * it (`Input "role-arn"`, `--role-arn`, `targets.prod.role-arn`).
 */
export type RawOptions = Readonly<Record<string, string | undefined>>;

export class OptionReader {
  private readonly raw: RawOptions;
  /** How an option is named in messages, e.g. (n) => `Input "${n}"`. */
  readonly label: (name: string) => string;

  constructor(raw: RawOptions, label: (name: string) => string) {
    this.raw = raw;
    this.label = label;
  }

  /** The options as given, e.g. for a worker thread that prepares the same target again. */
  values(): RawOptions {
    return this.raw;
  }

  string(name: string): string | undefined {
    const value = this.raw[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  required(name: string, what: string): string {
    const value = this.string(name);
    if (value === undefined)
      throw new WifError('usage', `${this.label(name)} is required: ${what}.`);
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.string(name);
    if (value === undefined) return fallback;
    if (/^(true|yes|on|1)$/i.test(value)) return true;
    if (/^(false|no|off|0)$/i.test(value)) return false;
    throw new WifError('usage', `${this.label(name)} must be true or false, not "${value}".`);
  }

  integer(
    name: string,
    fallback: number,
    range: { min: number; max: number; unit?: string },
  ): number {
    const value = this.string(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < range.min || n > range.max) {
      throw new WifError(
        'usage',
        `${this.label(name)} must be a whole number from ${range.min} to ${range.max}${range.unit === undefined ? '' : ` ${range.unit}`}, not "${value}".`,
      );
    }
    return n;
  }

  /** A comma-, space- or newline-separated list. */
  list(name: string): string[] {
    const value = this.string(name);
    return value === undefined ? [] : value.split(/[\s,]+/).filter((v) => v !== '');
  }

  oneOf<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const value = this.string(name);
    if (value === undefined) return fallback;
    if ((choices as readonly string[]).includes(value)) return value as T;
    throw new WifError(
      'usage',
      `${this.label(name)} must be one of ${choices.join(', ')}, not "${value}".`,
    );
  }

  url(name: string): URL | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    try {
      const url = new URL(value);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
      return url;
    } catch {
      throw new WifError('usage', `${this.label(name)} must be an http(s) URL, not "${value}".`);
    }
  }

  /** Names of options given that the target does not know, for a clear "unknown option" error. */
  unknown(known: readonly string[]): string[] {
    return Object.keys(this.raw).filter((k) => this.raw[k] !== undefined && !known.includes(k));
  }
}
