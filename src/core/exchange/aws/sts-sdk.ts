/**
 * The part of @aws-sdk/client-sts that wif sends, as a module of its own: the entry loads it
 * with import(), and an import() of the package itself would keep every command it exports and
 * the aggregated `STS` client, which the bundle then compiles on each run.
 */
export {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
