import {
  gcpOptionNames,
  parseGcpTargetConfig,
  preloadGoogleAuth,
  runGcpTarget,
} from '../../core/exchange/gcp.ts';
import { OptionReader } from '../../core/exchange/options.ts';
import { ExitCode } from '../../core/errors.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { federateOnCli, selfCommand } from '../federation.ts';

const usage = `Usage: wif gcp --workload-identity-provider NAME [options]

Authenticates to Google Cloud with the pipeline's OIDC token (STS token exchange, optional
service account impersonation), writes an external_account credentials file for Application
Default Credentials and gcloud in a private 0600 directory, and prints the variables for a
shell (--format shell, the default), as JSON, or as a 0600 env file whose path is printed
(--format env-file: the form for GitLab jobs, since GitLab cannot mask run-time values).

Without --refresh the credentials file reads the token minted now, so it works until that
token expires; with --refresh a detached refresher keeps the token file fresh.

Options (the same names as the actions/gcp inputs):
  --source S                         token source: auto, github, gitlab[:VAR], file:PATH, env:VAR
  --workload-identity-provider NAME  projects/N/locations/global/workloadIdentityPools/P/providers/X
  --service-account EMAIL            impersonate this account   --delegates EMAIL,…
  --audience A                       token audience (default https://iam.googleapis.com/NAME)
  --token-format F                   access_token, id_token or none (default none)
  --access-token-lifetime S          1 … 43200 (3600 or 3600s; default 3600)
  --access-token-scopes SCOPE,…      default https://www.googleapis.com/auth/cloud-platform
  --id-token-audience A              --id-token-include-email
  --project-id ID                    exported as GOOGLE_CLOUD_PROJECT and friends
  --create-credentials-file false    --export-env false   --overwrite
  --sts-endpoint URL                 --iamcredentials-endpoint URL   --universe DOMAIN
  --retry-max-attempts N             --timeout-seconds S
  --refresh                          keep the token file fresh (starts a detached refresher)
  --format shell|json|env-file       --output-dir DIR (where credential files go)
`;

const flagNames = [...gcpOptionNames, 'source', 'format', 'output-dir'] as const;
const booleanFlags = new Set(['id-token-include-email', 'overwrite', 'refresh']);

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
  for (const name of [...gcpOptionNames, 'format']) {
    const v = values[name];
    raw[name] = typeof v === 'boolean' ? String(v) : v;
  }
  return raw;
}

export const command: Command = {
  name: 'gcp',
  summary: 'Authenticate to Google Cloud with the pipeline OIDC token',
  usage,
  async run(argv, io) {
    const sdk = preloadGoogleAuth();
    const { values } = parseCommandArgs('gcp', argv, flags());
    const options = new OptionReader(rawOptions(values), (n) => `--${n}`);
    const config = parseGcpTargetConfig(options, io.env);
    const format = options.oneOf('format', ['shell', 'json', 'env-file'] as const, 'shell');
    await federateOnCli(
      [
        {
          name: 'gcp',
          audience: config.audience,
          refresh: config.refresh,
          run: (ctx) => runGcpTarget('gcp', config, ctx, sdk),
        },
      ],
      {
        source: typeof values['source'] === 'string' ? values['source'] : 'auto',
        format,
        outputDir: typeof values['output-dir'] === 'string' ? values['output-dir'] : undefined,
        timeoutSeconds: config.timeoutSeconds,
      },
      io,
      selfCommand(),
    );
    return ExitCode.ok;
  },
};
