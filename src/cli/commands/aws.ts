import { readFile } from 'node:fs/promises';
import {
  awsOptionNames,
  parseAwsTargetConfig,
  preloadStsSdk,
  runAwsTarget,
} from '../../core/exchange/aws.ts';
import { assumeRoles } from '../../core/exchange/aws/sts.ts';
import { OptionReader } from '../../core/exchange/options.ts';
import { ExitCode, WifError } from '../../core/errors.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { federateOnCli, selfCommand } from '../federation.ts';
import { parseSeconds } from '../values.ts';

const usage = `Usage: wif aws [options]
       wif aws credential-process --role-arn ARN --token-file F --region R [options]

Assumes an AWS IAM role with the pipeline's OIDC token (AssumeRoleWithWebIdentity, optional
role chaining) and prints the session for a shell (--format shell, the default), as JSON, or
as a 0600 env file whose path is printed (--format env-file: the form for GitLab jobs, since
GitLab cannot mask values produced at run time).

\`credential-process\` is the AWS credential_process protocol: it reads a web-identity token
file, assumes the role and prints {"Version":1,…}; refresh mode writes profiles that call it.

Options (the same names as the actions/aws inputs):
  --source S                    token source: auto, github, gitlab[:VAR], file:PATH, env:VAR
  --role-arn ARN                the role to assume (required)
  --region R                    AWS region (default: AWS_REGION)
  --audience A                  token audience (default sts.amazonaws.com)
  --role-session-name N         default derived from the CI run
  --role-duration-seconds S     900 … 43200 (3600 when chaining; default 3600)
  --inline-session-policy JSON  --managed-session-policies ARN,…
  --chain-role-arns ARN,…       --role-external-id ID
  --allowed-account-ids ID,…    --profile NAME   --overwrite   --export-env false
  --sts-endpoint URL            --http-proxy URL --retry-max-attempts N  --timeout-seconds S
  --refresh                     keep a token file fresh (starts a detached refresher)
  --format shell|json|env-file  --output-dir DIR (where credential files go)
`;

const flagNames = [...awsOptionNames, 'source', 'format', 'output-dir', 'token-file'] as const;
const booleanFlags = new Set(['output-credentials', 'overwrite', 'mask-aws-account-id', 'refresh']);

function flags(): Record<string, { type: 'string' } | { type: 'boolean' }> {
  const out: Record<string, { type: 'string' } | { type: 'boolean' }> = {};
  for (const name of flagNames)
    out[name] = booleanFlags.has(name) ? { type: 'boolean' } : { type: 'string' };
  return out;
}

function rawOptions(
  values: Record<string, string | boolean | undefined>,
): Record<string, string | undefined> {
  const raw: Record<string, string | undefined> = {};
  for (const name of awsOptionNames) {
    const v = values[name];
    raw[name] = typeof v === 'boolean' ? String(v) : v;
  }
  return raw;
}

export const command: Command = {
  name: 'aws',
  summary: 'Assume an AWS role with the pipeline OIDC token',
  usage,
  async run(argv, io) {
    const sdk = preloadStsSdk();
    const credentialProcess = argv[0] === 'credential-process';
    const { values } = parseCommandArgs(
      credentialProcess ? 'aws credential-process' : 'aws',
      credentialProcess ? argv.slice(1) : argv,
      flags(),
    );
    const options = new OptionReader(rawOptions(values), (n) => `--${n}`);
    const config = parseAwsTargetConfig(options, io.env);

    if (credentialProcess) {
      const tokenFile = values['token-file'];
      if (typeof tokenFile !== 'string')
        throw new WifError('usage', 'wif aws credential-process needs --token-file.');
      const token = (
        await readFile(tokenFile, 'utf8').catch(() => {
          throw new WifError('token-missing', `The token file ${tokenFile} cannot be read.`, {
            fix: 'Is the refresher still running? Check the refresh directory.',
          });
        })
      ).trim();
      const s = await assumeRoles(config, token, { sdk });
      io.stdout(
        `${JSON.stringify({ Version: 1, AccessKeyId: s.accessKeyId, SecretAccessKey: s.secretAccessKey, SessionToken: s.sessionToken, Expiration: s.expiration.toISOString() })}\n`,
      );
      return ExitCode.ok;
    }

    const format = new OptionReader(
      { format: typeof values['format'] === 'string' ? values['format'] : undefined },
      (n) => `--${n}`,
    ).oneOf('format', ['shell', 'json', 'env-file'] as const, 'shell');
    await federateOnCli(
      [
        {
          name: 'aws',
          audience: config.audience,
          refresh: config.refresh,
          run: (ctx) => runAwsTarget('aws', config, ctx, sdk),
        },
      ],
      {
        source: typeof values['source'] === 'string' ? values['source'] : 'auto',
        format,
        outputDir: typeof values['output-dir'] === 'string' ? values['output-dir'] : undefined,
        timeoutSeconds: parseSeconds('--timeout-seconds', String(config.timeoutSeconds), {
          min: 5,
          max: 3600,
        }),
      },
      io,
      selfCommand(),
    );
    return ExitCode.ok;
  },
};
