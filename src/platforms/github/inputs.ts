import * as core from '@actions/core';
import { WifError } from '../../core/errors.ts';

/**
 * Inputs read strictly: a value that does not parse is a usage error naming the input, never
 * a silent default (`use-existing-credentials: false` must not mean on).
 */
export function stringInput(name: string): string | undefined {
  const value = core.getInput(name).trim();
  return value === '' ? undefined : value;
}

export function requiredInput(name: string): string {
  const value = stringInput(name);
  if (value === undefined) {
    throw new WifError('usage', `Input "${name}" is required.`, {
      fix: `Add \`${name}:\` under \`with:\`.`,
    });
  }
  return value;
}

export function booleanInput(name: string, fallback: boolean): boolean {
  const value = stringInput(name);
  if (value === undefined) return fallback;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new WifError('usage', `Input "${name}" must be true or false, not "${value}".`);
}

export function integerInput(
  name: string,
  fallback: number,
  range: { min: number; max: number },
): number {
  const value = stringInput(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    throw new WifError(
      'usage',
      `Input "${name}" must be a whole number from ${range.min} to ${range.max}, not "${value}".`,
    );
  }
  return n;
}

/** All of a target's inputs as raw strings, for the shared option parsers in src/core/exchange. */
export function readInputs(names: readonly string[]): Record<string, string | undefined> {
  const raw: Record<string, string | undefined> = {};
  for (const name of names) raw[name] = stringInput(name);
  return raw;
}
