import { readFile } from 'node:fs/promises';
import type { CredentialSet, PlannedFile, PlannedValue } from '../credentials/credential-set.ts';
import { assertOutsideWorkspace, workspaceGuard } from '../credentials/workspace.ts';
import { redactedError, WifError } from '../errors.ts';
import { redact } from '../redact.ts';
import type { AwsTargetConfig } from './aws/config.ts';
import { accountsOfRoleArns } from './aws/accounts.ts';
import { credentialProcessCommand, lostByWebIdentity } from './aws/hand-off.ts';
import { mergeProfile } from './aws/profiles.ts';
import { explainRefusal } from './explain-on-failure.ts';
import { optionName, optionSetting } from './options.ts';
import { assumeRoles, callerAccount, preloadStsSdk, type AwsSession } from './aws/sts.ts';
import type { TargetContext } from './target.ts';

export { awsOptionNames, parseAwsTargetConfig, type AwsTargetConfig } from './aws/config.ts';
export { preloadStsSdk } from './aws/sts.ts';

/**
 * The AWS exchange: the job's OIDC token → AssumeRoleWithWebIdentity (→ chained AssumeRole)
 * → an AWS session, checked against the allowed accounts, exported the way the AWS SDKs and
 * CLI read it: environment variables, named profiles, and in refresh mode the SDK-native
 * web-identity variables pointing at a token file that the refresher keeps fresh.
 */
export async function runAwsTarget(
  name: string,
  config: AwsTargetConfig,
  ctx: TargetContext,
  sdk: ReturnType<typeof preloadStsSdk> = preloadStsSdk(),
): Promise<CredentialSet> {
  const already = ['AWS_ACCESS_KEY_ID', 'AWS_WEB_IDENTITY_TOKEN_FILE'].find(
    (n) => (ctx.env[n] ?? '') !== '',
  );
  if (config.exportEnv && !config.overwrite && already !== undefined) {
    throw new WifError(
      'usage',
      `AWS credentials are already in the environment (${already}, from an earlier step or the runner).`,
      {
        fix: `Add ${optionSetting(config.door, 'overwrite', 'true')} to replace them, or ${optionSetting(config.door, 'profile', 'NAME')} (which exports no variables) to keep both identities.`,
      },
    );
  }
  const guard = workspaceGuard('AWS credentials', ctx.env);
  const refreshFile = config.refresh ? ctx.refreshTokenFile(config.audience) : undefined;
  if (refreshFile !== undefined) assertOutsideWorkspace(refreshFile, guard);
  // mask-aws-account-id: the platform masks these before the first request (`awsMasks`), and
  // every line this exchange logs or throws shows them as *** on platforms without a masker.
  const hidden = [...awsMasks(config)];
  const hide = (text: string): string => (hidden.length === 0 ? text : redact(text, hidden));
  const log = (line: string): void => {
    ctx.log(hide(line));
  };
  try {
    const obtained = await ctx.token(config.audience);
    const call = {
      sdk,
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
      onRetry: ({ attempt, delayMs }: { attempt: number; delayMs: number }) => {
        log(`aws ${name}: transient STS failure, attempt ${attempt + 1} in ${delayMs} ms`);
      },
    };
    let session: AwsSession;
    try {
      session = await assumeRoles(config, obtained.token, call);
    } catch (error) {
      throw await explainRefusal(error, config.explainOnFailure, obtained.claims, log);
    }
    const accountId =
      config.allowedAccountIds.length > 0
        ? await callerAccount(config, session, call)
        : accountOf(session);
    if (config.maskAccountId && accountId !== '' && !hidden.includes(accountId))
      hidden.push(accountId);
    if (config.allowedAccountIds.length > 0 && !config.allowedAccountIds.includes(accountId)) {
      throw new WifError(
        'denied',
        config.maskAccountId
          ? 'The assumed role is in an account that is not in allowed-account-ids (not named here: mask-aws-account-id is on).'
          : `The assumed role is in account ${accountId}, which is not in allowed-account-ids (${config.allowedAccountIds.join(', ')}).`,
        {
          fix: `Assume a role in an allowed account, or add the account to ${optionName(config.door, 'allowed-account-ids')}.`,
        },
      );
    }
    log(`aws ${name}: assumed ${session.assumedRoleArn} until ${session.expiration.toISOString()}`);
    return await awsCredentialSet(name, config, session, accountId, ctx, hide);
  } catch (error) {
    // Raw errors too (an SDK's own, not classified): nothing masks them on GitLab or the CLI.
    throw hidden.length === 0 ? error : redactedError(error, hide);
  }
}

/** With mask-aws-account-id, the account of every role the options name (known before any request). */
export function awsMasks(config: AwsTargetConfig): readonly string[] {
  return config.maskAccountId ? accountsOfRoleArns([config.roleArn, ...config.chainRoleArns]) : [];
}

function accountOf(session: AwsSession): string {
  return (
    /^arn:[\w-]+:(?:sts|iam)::(\d{12}):/.exec(session.assumedRoleArn)?.[1] ??
    /::(\d{12}):/.exec(session.roleArn)?.[1] ??
    ''
  );
}

async function awsCredentialSet(
  name: string,
  config: AwsTargetConfig,
  session: AwsSession,
  accountId: string,
  ctx: TargetContext,
  hide: (text: string) => string,
): Promise<CredentialSet> {
  const env: PlannedValue[] = [];
  const outputs: PlannedValue[] = [];
  const files: PlannedFile[] = [];
  const tokenFile = config.refresh ? ctx.refreshTokenFile(config.audience) : undefined;
  if (config.refresh && tokenFile === undefined) {
    throw new WifError(
      'internal',
      'Refresh mode was requested but no refresher token file is available.',
    );
  }
  const finalRole = config.chainRoleArns.at(-1) ?? config.roleArn;
  // parseAwsTargetConfig refuses exported web-identity variables that would drop an option.
  const webIdentity = lostByWebIdentity(config).length === 0;

  if (config.exportEnv) {
    if (tokenFile !== undefined) {
      // The SDK's default chain prefers static keys over web identity, so refresh mode
      // exports only the web-identity variables: the SDK re-assumes as the file rotates.
      env.push(
        { name: 'AWS_WEB_IDENTITY_TOKEN_FILE', value: tokenFile, secret: false },
        { name: 'AWS_ROLE_ARN', value: config.roleArn, secret: false },
        { name: 'AWS_ROLE_SESSION_NAME', value: config.sessionName, secret: false },
      );
    } else {
      env.push(
        { name: 'AWS_ACCESS_KEY_ID', value: session.accessKeyId, secret: true },
        { name: 'AWS_SECRET_ACCESS_KEY', value: session.secretAccessKey, secret: true },
        { name: 'AWS_SESSION_TOKEN', value: session.sessionToken, secret: true },
      );
    }
    env.push(
      { name: 'AWS_REGION', value: config.region, secret: false },
      { name: 'AWS_DEFAULT_REGION', value: config.region, secret: false },
    );
    if (config.stsEndpoint !== undefined)
      env.push({ name: 'AWS_ENDPOINT_URL_STS', value: config.stsEndpoint, secret: false });
  }

  outputs.push(
    { name: 'aws-account-id', value: accountId, secret: config.maskAccountId },
    // Secret with mask-aws-account-id: the ARN names the account.
    { name: 'aws-role-arn', value: finalRole, secret: config.maskAccountId },
    { name: 'aws-expiration', value: session.expiration.toISOString(), secret: false },
  );
  if (config.outputCredentials) {
    outputs.push(
      { name: 'aws-access-key-id', value: session.accessKeyId, secret: true },
      { name: 'aws-secret-access-key', value: session.secretAccessKey, secret: true },
      { name: 'aws-session-token', value: session.sessionToken, secret: true },
    );
  }

  if (config.profile !== undefined) {
    const profileConfig: Record<string, string> = { region: config.region };
    if (config.stsEndpoint !== undefined) profileConfig['endpoint_url'] = config.stsEndpoint;
    let credentials: Record<string, string> | undefined;
    if (tokenFile !== undefined && webIdentity) {
      profileConfig['web_identity_token_file'] = tokenFile;
      profileConfig['role_arn'] = config.roleArn;
      profileConfig['role_session_name'] = config.sessionName;
    } else if (tokenFile !== undefined) {
      profileConfig['credential_process'] = credentialProcessCommand(
        config,
        tokenFile,
        ctx.wifCommand,
      );
    } else {
      credentials = {
        aws_access_key_id: session.accessKeyId,
        aws_secret_access_key: session.secretAccessKey,
        aws_session_token: session.sessionToken,
      };
    }
    const files2 = mergeProfile(
      {
        credentials: await readIfWif(ctx.env['AWS_SHARED_CREDENTIALS_FILE']),
        config: await readIfWif(ctx.env['AWS_CONFIG_FILE']),
      },
      config.profile,
      { ...(credentials === undefined ? {} : { credentials }), config: profileConfig },
      config.overwrite,
      config.door,
    );
    files.push(
      {
        fileName: 'aws-credentials',
        content: files2.credentials,
        secret: true,
        pathEnv: ['AWS_SHARED_CREDENTIALS_FILE'],
        pathOutputs: [],
      },
      {
        fileName: 'aws-config',
        content: files2.config,
        secret: false,
        pathEnv: ['AWS_CONFIG_FILE'],
        pathOutputs: [],
      },
    );
    outputs.push({ name: 'aws-profile', value: config.profile, secret: false });
  }
  if (tokenFile !== undefined) {
    // Also offered as a credential_process command, for tools that read only profiles. A
    // proxy password in it makes it secret.
    outputs.push({
      name: 'aws-credential-process',
      value: credentialProcessCommand(config, tokenFile, ctx.wifCommand),
      secret: hasUserinfo(config.httpProxy),
    });
  }

  return {
    target: name,
    // The label reaches the job summary, which the runner does not mask.
    label: `AWS session ${hide(session.assumedRoleArn)}${tokenFile === undefined ? '' : ' (refreshing web identity)'}`,
    values: [
      // A proxy password the hand-off carries is masked like the keys.
      ...(hasUserinfo(config.httpProxy) && config.httpProxy !== undefined
        ? [{ name: 'http-proxy', value: config.httpProxy, secret: true }]
        : []),
      {
        name: 'access-key-id',
        value: session.accessKeyId,
        secret: true,
        expiresAt: session.expiration,
      },
      {
        name: 'secret-access-key',
        value: session.secretAccessKey,
        secret: true,
        expiresAt: session.expiration,
      },
      {
        name: 'session-token',
        value: session.sessionToken,
        secret: true,
        expiresAt: session.expiration,
      },
    ],
    plan: { env, outputs, files, outsideWorkspace: workspaceGuard('AWS credentials', ctx.env) },
  };
}

/** Only files wif itself wrote earlier in the job are merged; never a user's ~/.aws files. */
async function readIfWif(path: string | undefined): Promise<string | undefined> {
  if (path === undefined || path === '' || !/\/wif-[^/]+\/aws-(credentials|config)$/.test(path))
    return undefined;
  return readFile(path, 'utf8').catch(() => undefined);
}

function hasUserinfo(url: string | undefined): boolean {
  if (url === undefined || !URL.canParse(url)) return false;
  const parsed = new URL(url);
  return parsed.username !== '' || parsed.password !== '';
}
