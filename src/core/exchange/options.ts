import { WifError } from '../errors.ts';
import { shownUrl } from '../redact.ts';

/**
 * Target options as the three front doors give them: kebab-case names (the action's input
 * names, the CLI's flags without `--`, the keys of a wif.yaml target) mapped to strings. Each
 * target parses them into a typed config; a bad value names the option the way the user wrote
 * it (`Input "role-arn"`, `--role-arn`, `wif.yaml: targets.prod.role-arn`), and a fix says how
 * to set one in the same syntax (`overwrite: true`, `--overwrite`).
 */
export type RawOptions = Readonly<Record<string, string | undefined>>;

/**
 * The front door options came through. Plain data, so a config or a worker thread's target
 * can carry it and messages made after parsing still name options the user's way.
 */
export type FrontDoor =
  | { readonly kind: 'action' }
  | { readonly kind: 'cli' }
  /** A target of a wif.yaml (`file`), by its name under `targets:`. */
  | { readonly kind: 'file'; readonly file: string; readonly target: string };

export const ACTION_INPUTS: FrontDoor = { kind: 'action' };
export const CLI_FLAGS: FrontDoor = { kind: 'cli' };

/** How a message names an option: `Input "role-arn"`, `--role-arn`, `wif.yaml: targets.prod.role-arn`. */
export function optionLabel(door: FrontDoor, name: string): string {
  if (door.kind === 'action') return `Input "${name}"`;
  if (door.kind === 'cli') return `--${name}`;
  return `${door.file}: targets.${door.target}.${name}`;
}

/** How a fix names an option mid-sentence: `input "role-arn"`, `--role-arn`, `targets.prod.role-arn`. */
export function optionName(door: FrontDoor, name: string): string {
  if (door.kind === 'action') return `input "${name}"`;
  if (door.kind === 'cli') return `--${name}`;
  return `targets.${door.target}.${name}`;
}

/**
 * How a fix tells the user to set an option: `overwrite: true` under the action's `with:`,
 * `--overwrite` (a CLI flag given alone means true) or `--profile NAME`, and
 * `overwrite: true (in targets.prod)` in wif.yaml.
 */
export function optionSetting(door: FrontDoor, name: string, value: string): string {
  if (door.kind === 'action') return `${name}: ${value}`;
  if (door.kind === 'cli') return value === 'true' ? `--${name}` : `--${name} ${value}`;
  return `${name}: ${value} (in targets.${door.target})`;
}

export class OptionReader {
  private readonly raw: RawOptions;
  readonly door: FrontDoor;

  constructor(raw: RawOptions, door: FrontDoor) {
    this.raw = raw;
    this.door = door;
  }

  /** How a message names an option, e.g. `Input "role-arn"`. */
  label(name: string): string {
    return optionLabel(this.door, name);
  }

  /** How a fix says to set an option, e.g. `--profile NAME`. */
  setting(name: string, value: string): string {
    return optionSetting(this.door, name, value);
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

  /** An http(s) URL. A refusal never echoes the value's credentials (a proxy URL has a password). */
  url(name: string): URL | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (url !== undefined && (url.protocol === 'https:' || url.protocol === 'http:')) return url;
    throw new WifError(
      'usage',
      `${this.label(name)} must be an http(s) URL, not "${shownUrl(value)}".`,
    );
  }

  /** Names of options given that the target does not know, for a clear "unknown option" error. */
  unknown(known: readonly string[]): string[] {
    return Object.keys(this.raw).filter((k) => this.raw[k] !== undefined && !known.includes(k));
  }
}
