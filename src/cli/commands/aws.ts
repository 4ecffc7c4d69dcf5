import { readFile } from 'node:fs/promises';
import { awsOptionNames, parseAwsTargetConfig, preloadStsSdk } from '../../core/exchange/aws.ts';
import { assumeRoles } from '../../core/exchange/aws/sts.ts';
import { CLI_FLAGS, OptionReader } from '../../core/exchange/options.ts';
import { ExitCode, WifError } from '../../core/errors.ts';
import type { Command } from '../command.ts';
import { parseTargetFlags, runTargetOnCli } from '../target-command.ts';

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
  --output-credentials          also print the session as outputs (aws-access-key-id, …)
  --mask-aws-account-id         treat the account ID as secret (masked, kept out of logs)
  --explain-on-failure FILE     on a refusal, explain it against this trust policy
  --refresh                     keep a token file fresh (starts a detached refresher)
  --format shell|json|env-file  --output-dir DIR (where credential files go)
`;

export const command: Command = {
  name: 'aws',
  summary: 'Assume an AWS role with the pipeline OIDC token',
  usage,
  async run(argv, io) {
    const credentialProcess = argv[0] === 'credential-process';
    const flags = parseTargetFlags(
      credentialProcess ? 'aws credential-process' : 'aws',
      credentialProcess ? argv.slice(1) : argv,
      awsOptionNames,
      ['output-credentials', 'overwrite', 'mask-aws-account-id', 'refresh'],
      credentialProcess ? ['token-file'] : [],
    );
    if (!credentialProcess) {
      await runTargetOnCli('aws', flags, io);
      return ExitCode.ok;
    }
    // The AWS credential_process protocol: read the refreshed token file, assume, print v1 JSON.
    const config = parseAwsTargetConfig(new OptionReader(flags.options, CLI_FLAGS), io.env);
    const tokenFile = flags.extra['token-file'];
    if (tokenFile === undefined)
      throw new WifError('usage', 'wif aws credential-process needs --token-file.');
    const token = (
      await readFile(tokenFile, 'utf8').catch(() => {
        throw new WifError('token-missing', `The token file ${tokenFile} cannot be read.`, {
          fix: 'Is the refresher still running? Check the refresh directory.',
        });
      })
    ).trim();
    const s = await assumeRoles(config, token, { sdk: preloadStsSdk() });
    io.stdout(
      `${JSON.stringify({ Version: 1, AccessKeyId: s.accessKeyId, SecretAccessKey: s.secretAccessKey, SessionToken: s.sessionToken, Expiration: s.expiration.toISOString() })}\n`,
    );
    return ExitCode.ok;
  },
};
