import type { CredentialSet } from '../credentials/credential-set.ts';
import { awsOptionNames, parseAwsTargetConfig, preloadStsSdk, runAwsTarget } from './aws.ts';
import { azureOptionNames, parseAzureTargetConfig, runAzureTarget } from './azure.ts';
import { gcpOptionNames, parseGcpTargetConfig, preloadGoogleAuth, runGcpTarget } from './gcp.ts';
import { loadAfterDispatch } from './load-after-dispatch.ts';
import type { OptionReader } from './options.ts';
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
  run(ctx: TargetContext): Promise<CredentialSet>;
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
}

const aws: ExchangeKind = {
  type: 'aws',
  summary: 'AWS IAM role via AssumeRoleWithWebIdentity',
  optionNames: awsOptionNames,
  prepare(name, options, env) {
    const config = parseAwsTargetConfig(options, env);
    return {
      name,
      type: 'aws',
      audience: config.audience,
      refresh: config.refresh,
      timeoutSeconds: config.timeoutSeconds,
      run: (ctx) => {
        const token = ctx.token(config.audience);
        const sdk = loadAfterDispatch(token, preloadStsSdk);
        return runAwsTarget(name, config, { ...ctx, token: () => token }, sdk);
      },
    };
  },
};

const gcp: ExchangeKind = {
  type: 'gcp',
  summary: 'Google Cloud via Workload Identity Federation (STS, optional impersonation)',
  optionNames: gcpOptionNames,
  prepare(name, options, env) {
    const config = parseGcpTargetConfig(options, env);
    return {
      name,
      type: 'gcp',
      audience: config.audience,
      refresh: config.refresh,
      timeoutSeconds: config.timeoutSeconds,
      run: (ctx) => {
        const token = ctx.token(config.audience);
        const sdk = loadAfterDispatch(token, preloadGoogleAuth);
        return runGcpTarget(name, config, { ...ctx, token: () => token }, sdk);
      },
    };
  },
};

const azure: ExchangeKind = {
  type: 'azure',
  summary: 'Microsoft Entra ID via a federated credential (client assertion, no az CLI)',
  optionNames: azureOptionNames,
  prepare(name, options) {
    const config = parseAzureTargetConfig(options);
    // No preload: runAzureTarget loads @azure/identity once the token request is on the wire.
    return {
      name,
      type: 'azure',
      audience: config.audience,
      refresh: config.refresh,
      timeoutSeconds: config.timeoutSeconds,
      run: (ctx) => runAzureTarget(name, config, ctx),
    };
  },
};

export const exchangeKinds: readonly ExchangeKind[] = [
  aws,
  gcp,
  azure,
  // One entry per exchange above this comment.
];

export function exchangeKind(type: string): ExchangeKind | undefined {
  return exchangeKinds.find((k) => k.type === type);
}
