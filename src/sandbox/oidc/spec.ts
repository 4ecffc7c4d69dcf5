import { WifError } from '../../core/errors.ts';

/**
 * Reads a job description that came from a config file or the control server (plain JSON) into
 * a typed spec, with one actionable line for the first key that is unknown or mistyped.
 */
export type FieldKind = 'string' | 'boolean' | 'number' | 'strings' | 'properties';

export function readSpec(
  value: unknown,
  where: string,
  fields: Readonly<Record<string, FieldKind>>,
): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw usage(`${where} must be a mapping of settings.`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    const kind = fields[key];
    if (kind === undefined) {
      throw usage(
        `${where} has an unknown key "${key}" (known: ${Object.keys(fields).join(', ')}).`,
      );
    }
    if (!matches(kind, field)) throw usage(`${where}.${key} must be ${describe(kind)}.`);
    out[key] = field;
  }
  return out;
}

function matches(kind: FieldKind, value: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'strings':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'properties':
      return (
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every(
          (v) =>
            typeof v === 'string' ||
            typeof v === 'boolean' ||
            (Array.isArray(v) && v.every((s) => typeof s === 'string')),
        )
      );
  }
}

function describe(kind: FieldKind): string {
  switch (kind) {
    case 'string':
      return 'a string (quote numeric IDs)';
    case 'boolean':
      return 'true or false';
    case 'number':
      return 'a number';
    case 'strings':
      return 'a list of strings';
    case 'properties':
      return 'a mapping of names to strings, booleans or lists of strings';
  }
}

export function usage(message: string): WifError {
  return new WifError('usage', message, {
    fix: 'Fix the sandbox configuration and start again (see `wif sandbox --help`).',
  });
}
