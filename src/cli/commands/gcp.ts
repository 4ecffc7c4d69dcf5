import { gcpOptionNames } from '../../core/exchange/gcp.ts';
import { ExitCode } from '../../core/errors.ts';
import type { Command } from '../command.ts';
import { parseTargetFlags, runTargetOnCli } from '../target-command.ts';

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
  --explain-on-failure FILE          on a refusal, explain it against this trust configuration
  --refresh                          keep the token file fresh (starts a detached refresher)
  --format shell|json|env-file       --output-dir DIR (where credential files go)
`;

export const command: Command = {
  name: 'gcp',
  summary: 'Authenticate to Google Cloud with the pipeline OIDC token',
  usage,
  async run(argv, io) {
    const flags = parseTargetFlags('gcp', argv, gcpOptionNames, [
      'id-token-include-email',
      'overwrite',
      'refresh',
    ]);
    await runTargetOnCli('gcp', flags, io);
    return ExitCode.ok;
  },
};
