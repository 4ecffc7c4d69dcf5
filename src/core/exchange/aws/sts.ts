import type { STSClientConfig } from '@aws-sdk/client-sts';
import { withRetry } from '../../retry.ts';
import type { AwsTargetConfig } from './config.ts';
import { classifyStsError } from './errors.ts';
import type * as StsSdk from './sts-sdk.ts';

/** A session STS issued: short-lived keys and who they are. */
export interface AwsSession {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>` */
  readonly assumedRoleArn: string;
  readonly roleArn: string;
}

type Sts = typeof StsSdk;

/** Starts loading the SDK at once, so it loads while the OIDC token request is in flight. */
export function preloadStsSdk(): Promise<Sts> {
  return import('./sts-sdk.ts');
}

export interface StsCallContext {
  readonly sdk: Promise<Sts>;
  readonly signal?: AbortSignal;
  readonly onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

async function clientConfig(config: AwsTargetConfig): Promise<STSClientConfig> {
  const agent =
    config.proxy === undefined
      ? undefined
      : new (await import('https-proxy-agent')).HttpsProxyAgent(config.proxy);
  return {
    region: config.region,
    ...(config.stsEndpoint === undefined ? {} : { endpoint: config.stsEndpoint }),
    // Retries are ours: permanent refusals fail at once, transient ones share one deadline.
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: 10_000,
      requestTimeout: 30_000,
      ...(agent === undefined ? {} : { httpsAgent: agent, httpAgent: agent }),
    },
  };
}

function retrying<T>(
  config: AwsTargetConfig,
  what: string,
  ctx: StsCallContext,
  call: () => Promise<T>,
  roleArn: string,
): Promise<T> {
  return withRetry(
    async () => {
      try {
        return await call();
      } catch (error) {
        throw classifyStsError(error, what, roleArn, config.door);
      }
    },
    {
      what: `calling AWS STS ${what}`,
      deadlineMs: config.timeoutSeconds * 1000,
      maxAttempts: config.retryMaxAttempts,
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
      ...(ctx.onRetry === undefined ? {} : { onRetry: ctx.onRetry }),
    },
  );
}

function session(
  config: AwsTargetConfig,
  out: {
    Credentials?:
      | {
          AccessKeyId?: string | undefined;
          SecretAccessKey?: string | undefined;
          SessionToken?: string | undefined;
          Expiration?: Date | undefined;
        }
      | undefined;
    AssumedRoleUser?: { Arn?: string | undefined } | undefined;
  },
  roleArn: string,
): AwsSession {
  const c = out.Credentials;
  if (
    c?.AccessKeyId === undefined ||
    c.SecretAccessKey === undefined ||
    c.SessionToken === undefined ||
    c.Expiration === undefined
  ) {
    throw classifyStsError(
      new Error('STS answered without credentials'),
      'AssumeRole',
      roleArn,
      config.door,
    );
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
    assumedRoleArn: out.AssumedRoleUser?.Arn ?? roleArn,
    roleArn,
  };
}

/** AssumeRoleWithWebIdentity, then each chained AssumeRole with the previous session's keys. */
export async function assumeRoles(
  config: AwsTargetConfig,
  webIdentityToken: string,
  ctx: StsCallContext,
): Promise<AwsSession> {
  const sdk = await ctx.sdk;
  const base = await clientConfig(config);
  const web = new sdk.STSClient(base);
  let current = await retrying(
    config,
    'AssumeRoleWithWebIdentity',
    ctx,
    async () =>
      session(
        config,
        await web.send(
          new sdk.AssumeRoleWithWebIdentityCommand({
            RoleArn: config.roleArn,
            RoleSessionName: config.sessionName,
            WebIdentityToken: webIdentityToken,
            DurationSeconds: config.durationSeconds,
            ...(config.inlineSessionPolicy === undefined
              ? {}
              : { Policy: config.inlineSessionPolicy }),
            ...(config.managedSessionPolicies.length === 0
              ? {}
              : { PolicyArns: config.managedSessionPolicies.map((arn) => ({ arn })) }),
          }),
          ctx.signal === undefined ? {} : { abortSignal: ctx.signal },
        ),
        config.roleArn,
      ),
    config.roleArn,
  );
  web.destroy();
  for (const roleArn of config.chainRoleArns) {
    const previous = current;
    const chained = new sdk.STSClient({
      ...base,
      credentials: {
        accessKeyId: previous.accessKeyId,
        secretAccessKey: previous.secretAccessKey,
        sessionToken: previous.sessionToken,
      },
    });
    current = await retrying(
      config,
      'AssumeRole',
      ctx,
      async () =>
        session(
          config,
          await chained.send(
            new sdk.AssumeRoleCommand({
              RoleArn: roleArn,
              RoleSessionName: config.sessionName,
              DurationSeconds: Math.min(config.durationSeconds, 3600),
              ...(config.externalId === undefined ? {} : { ExternalId: config.externalId }),
            }),
          ),
          roleArn,
        ),
      roleArn,
    );
    chained.destroy();
  }
  return current;
}

/** GetCallerIdentity with the session: proves the keys work and names the account they are in. */
export async function callerAccount(
  config: AwsTargetConfig,
  s: AwsSession,
  ctx: StsCallContext,
): Promise<string> {
  const sdk = await ctx.sdk;
  const client = new sdk.STSClient({
    ...(await clientConfig(config)),
    credentials: {
      accessKeyId: s.accessKeyId,
      secretAccessKey: s.secretAccessKey,
      sessionToken: s.sessionToken,
    },
  });
  const out = await retrying(
    config,
    'GetCallerIdentity',
    ctx,
    () => client.send(new sdk.GetCallerIdentityCommand({})),
    s.roleArn,
  );
  client.destroy();
  return out.Account ?? '';
}
