import { WifError } from '../../errors.ts';
import { optionSetting, type FrontDoor } from '../options.ts';
import { parseSharedIni, stringifySharedIni, type Sections } from './shared-ini.ts';

/**
 * Named profiles in the AWS shared credentials and config files. The files wif writes are its
 * own (0600, in the credential directory); a profile already written by an earlier wif step of
 * the job is carried over, and reusing its name fails unless `overwrite` says otherwise.
 */
export interface ProfileFiles {
  readonly credentials: string;
  readonly config: string;
}

export function configSectionName(profile: string): string {
  return profile === 'default' ? 'default' : `profile ${profile}`;
}

export function mergeProfile(
  existing: { credentials?: string | undefined; config?: string | undefined },
  profile: string,
  values: { credentials?: Record<string, string>; config: Record<string, string> },
  overwrite: boolean,
  door: FrontDoor,
): ProfileFiles {
  const credentials = parseSharedIni(existing.credentials ?? '');
  const config: Sections = parseSharedIni(existing.config ?? '');
  const configName = configSectionName(profile);
  if (!overwrite && (credentials[profile] !== undefined || config[configName] !== undefined)) {
    throw new WifError(
      'usage',
      `AWS profile "${profile}" was already written by an earlier step of this job.`,
      {
        fix: `Choose another name (${optionSetting(door, 'profile', 'NAME')}), or add ${optionSetting(door, 'overwrite', 'true')} to replace it.`,
      },
    );
  }
  const kept = Object.fromEntries(Object.entries(credentials).filter(([name]) => name !== profile));
  const nextCredentials =
    values.credentials === undefined ? kept : { ...kept, [profile]: values.credentials };
  config[configName] = values.config;
  return {
    credentials: stringifySharedIni(nextCredentials),
    config: stringifySharedIni(config),
  };
}
