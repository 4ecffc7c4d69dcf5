import { WifError } from '../../errors.ts';
import { optionSetting, type FrontDoor } from '../options.ts';
import { hasSection, withoutSection, withSection, type SectionMatch } from './shared-ini.ts';

/**
 * Named profiles in the AWS shared credentials and config files. The files wif writes are its
 * own (0600, in the credential directory); a file written by an earlier wif step of the job is
 * carried over with only wif's profile spliced in (anything else in it, however it got there,
 * stays byte for byte), and reusing a profile's name fails unless `overwrite` says otherwise.
 */
export interface ProfileFiles {
  readonly credentials: string;
  readonly config: string;
}

function configSectionName(profile: string): string {
  return profile === 'default' ? 'default' : `profile ${profile}`;
}

/**
 * The config file sections the SDKs read as `profile`: `[profile NAME]` (the name may be
 * quoted), and `[default]` or `[profile default]` for the default profile. The credentials
 * file names a profile bare: `[NAME]`.
 */
function inConfig(profile: string): SectionMatch {
  return (header) => {
    if (header === 'default') return profile === 'default';
    return /^profile\s+(["']?)(.+)\1$/.exec(header)?.[2] === profile;
  };
}

function inCredentials(profile: string): SectionMatch {
  return (header) => header === profile;
}

export function mergeProfile(
  existing: { credentials?: string | undefined; config?: string | undefined },
  profile: string,
  values: { credentials?: Record<string, string>; config: Record<string, string> },
  overwrite: boolean,
  door: FrontDoor,
): ProfileFiles {
  const credentials = existing.credentials ?? '';
  const config = existing.config ?? '';
  if (
    !overwrite &&
    (hasSection(credentials, inCredentials(profile)) || hasSection(config, inConfig(profile)))
  ) {
    throw new WifError(
      'usage',
      `AWS profile "${profile}" was already written by an earlier step of this job.`,
      {
        fix: `Choose another name (${optionSetting(door, 'profile', 'NAME')}), or add ${optionSetting(door, 'overwrite', 'true')} to replace it.`,
      },
    );
  }
  return {
    // A profile without static keys (web identity, credential_process) leaves none behind.
    credentials:
      values.credentials === undefined
        ? withoutSection(credentials, inCredentials(profile))
        : withSection(credentials, inCredentials(profile), profile, values.credentials),
    config: withSection(config, inConfig(profile), configSectionName(profile), values.config),
  };
}
