import { parse, stringify } from 'ini';
import { WifError } from '../../errors.ts';

/**
 * Named profiles in the AWS shared credentials and config files. The files wif writes are its
 * own (0600, in the credential directory); a profile already written by an earlier wif step of
 * the job is carried over, and reusing its name fails unless `overwrite` says otherwise.
 */
export interface ProfileFiles {
  readonly credentials: string;
  readonly config: string;
}

type Sections = Record<string, Record<string, string>>;

function sectionsOf(text: string | undefined): Sections {
  if (text === undefined || text.trim() === '') return {};
  const parsed = parse(text) as Record<string, unknown>;
  const out: Sections = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value !== 'object' || value === null) continue;
    const entries: Record<string, string> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) entries[k] = String(v);
    out[name] = entries;
  }
  return out;
}

export function configSectionName(profile: string): string {
  return profile === 'default' ? 'default' : `profile ${profile}`;
}

export function mergeProfile(
  existing: { credentials?: string | undefined; config?: string | undefined },
  profile: string,
  values: { credentials?: Record<string, string>; config: Record<string, string> },
  overwrite: boolean,
  label: string,
): ProfileFiles {
  const credentials = sectionsOf(existing.credentials);
  const config = sectionsOf(existing.config);
  const configName = configSectionName(profile);
  if (!overwrite && (credentials[profile] !== undefined || config[configName] !== undefined)) {
    throw new WifError(
      'usage',
      `AWS profile "${profile}" was already written by an earlier step of this job.`,
      {
        fix: `Choose another ${label}, or set overwrite: true to replace it.`,
      },
    );
  }
  const kept = Object.fromEntries(Object.entries(credentials).filter(([name]) => name !== profile));
  const nextCredentials =
    values.credentials === undefined ? kept : { ...kept, [profile]: values.credentials };
  config[configName] = values.config;
  return { credentials: stringify(nextCredentials), config: stringify(config) };
}
