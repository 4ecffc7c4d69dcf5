import type { CredentialSet } from '../credentials/credential-set.ts';
import {
  awsMasks,
  awsOptionNames,
  parseAwsTargetConfig,
  preloadStsSdk,
  runAwsTarget,
} from './aws.ts';
import {
  azureOptionNames,
  parseAzureTargetConfig,
  preloadIdentitySdk,
  runAzureTarget,
} from './azure.ts';
import { gcpOptionNames, parseGcpTargetConfig, preloadGoogleAuth, runGcpTarget } from './gcp.ts';
import { loadAfterDispatch } from './load-after-dispatch.ts';
import type { FrontDoor, OptionReader, RawOptions } from './options.ts';
import type { TargetContext } from './target.ts';

/**
 * Every exchange, by the `type` a wif.yaml target or an umbrella input names. A front door
 * parses a target's options with `prepare`; `run` starts the token request, then loads the SDK (while the
 * token request is in flight), and runs it; nothing else differs between AWS, GCP and Azure.
 */
export interface PreparedTarget {
  readonly name: string;
  readonly type: string;
  readonly audience: string;
  readonly refresh: boolean;
  readonly timeoutSeconds: number;
  /** Values its options alone reveal that must be masked before the first request (see RunnableTarget). */
  readonly masks: readonly string[];
  /** The same target as plain data, so a worker thread can prepare it again and run it there. */
  readonly spec: TargetSpec;
  run(ctx: TargetContext): Promise<CredentialSet>;
}

/** A target as its front door gave it: type, name and raw options (structured-clone safe). */
export interface TargetSpec {
  readonly type: string;
  readonly name: string;
  readonly options: RawOptions;
  /** How messages name its options, the same in a worker thread as on the main thread. */
  readonly door: FrontDoor;
}

export interface ExchangeKind {
  readonly type: string;
  readonly summary: string;
  readonly optionNames: readonly string[];
  prepare(
    name: string,
    options: OptionReader,
    env: Readonly<Record<string, string | undefined>>,
  ): PreparedTarget;
  /** Starts loading the SDK; a worker thread calls it first thing, as it holds no one up there. */
  preload(): Promise<unknown>;
}

/**
 * A target whose SDK is loaded by the registry: `run` starts the token request, then loads
 * the SDK while it is in flight, then hands both to the exchange.
 */
function sdkTarget<
  Config extends { audience: string; refresh: boolean; timeoutSeconds: number },
  Sdk,
>(
  kind: { type: string; summary: string; optionNames: readonly string[] },
  parse: (options: OptionReader, env: Readonly<Record<string, string | undefined>>) => Config,
  preload: () => Promise<Sdk>,
  exchange: (
    name: string,
    config: Config,
    ctx: TargetContext,
    sdk: Promise<Sdk>,
  ) => Promise<CredentialSet>,
  masks: (config: Config) => readonly string[] = () => [],
): ExchangeKind {
  return {
    ...kind,
    preload,
    prepare(name, options, env) {
      const config = parse(options, env);
      return {
        name,
        type: kind.type,
        audience: config.audience,
        refresh: config.refresh,
        timeoutSeconds: config.timeoutSeconds,
        masks: masks(config),
        spec: { type: kind.type, name, options: options.values(), door: options.door },
        run: (ctx) => {
          const token = ctx.token(config.audience);
          const sdk = loadAfterDispatch(token, preload);
          return exchange(name, config, { ...ctx, token: () => token }, sdk);
        },
      };
    },
  };
}

const aws = sdkTarget(
  {
    type: 'aws',
    summary: 'AWS IAM role via AssumeRoleWithWebIdentity',
    optionNames: awsOptionNames,
  },
  parseAwsTargetConfig,
  preloadStsSdk,
  runAwsTarget,
  awsMasks,
);

const gcp = sdkTarget(
  {
    type: 'gcp',
    summary: 'Google Cloud via Workload Identity Federation (STS, optional impersonation)',
    optionNames: gcpOptionNames,
  },
  parseGcpTargetConfig,
  preloadGoogleAuth,
  runGcpTarget,
);

const azure = sdkTarget(
  {
    type: 'azure',
    summary: 'Microsoft Entra ID via a federated credential (client assertion, no az CLI)',
    optionNames: azureOptionNames,
  },
  parseAzureTargetConfig,
  preloadIdentitySdk,
  runAzureTarget,
);

export const exchangeKinds: readonly ExchangeKind[] = [
  aws,
  gcp,
  azure,
  // One entry per exchange above this comment.
];

export function exchangeKind(type: string): ExchangeKind | undefined {
  return exchangeKinds.find((k) => k.type === type);
}
