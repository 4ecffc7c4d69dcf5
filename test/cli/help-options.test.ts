import { describe, expect, it } from 'vitest';
import { command as aws } from '../../src/cli/commands/aws.ts';
import { command as azure } from '../../src/cli/commands/azure.ts';
import { command as gcp } from '../../src/cli/commands/gcp.ts';
import { awsOptionNames } from '../../src/core/exchange/aws.ts';
import { azureOptionNames } from '../../src/core/exchange/azure.ts';
import { gcpOptionNames } from '../../src/core/exchange/gcp.ts';

/** `--help` promises "the same names as the actions inputs": every option must be listed. */
describe('every option a cloud command accepts is in its --help', () => {
  it.each([
    ['aws', aws.usage, awsOptionNames],
    ['gcp', gcp.usage, gcpOptionNames],
    ['azure', azure.usage, azureOptionNames],
  ] as const)('wif %s', (_name, usage, names) => {
    const missing = names.filter((name) => !new RegExp(`--${name}\\b`).test(usage));
    expect(missing).toEqual([]);
  });
});
