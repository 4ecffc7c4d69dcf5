import { WifError } from '../errors.ts';
import type { Claims } from '../token/claims.ts';
import { evaluateAwsTrust } from './aws.ts';
import { evaluateAzureCredentials } from './azure.ts';
import type { PolicyDecision } from './decision.ts';
import type { TrustConfig } from './detect.ts';
import type { GcpProviderDecision } from './gcp.ts';
import { evaluateGcpBinding, evaluateGcpProvider, poolOf } from './gcp.ts';
import type { VaultJwtConfig } from './vault.ts';
import { evaluateVaultRole } from './vault.ts';

/**
 * Runs every trust configuration a user handed us against one set of claims. This is what
 * `wif explain` and the explain action print; the evaluators stay the single source of truth.
 */
export interface ExplainOptions {
  /** Seconds since the epoch, for time-bound checks (Vault leeways). */
  readonly now: number;
  /** The STS `audience` a GCP exchange would send (defaults to the provider's own name). */
  readonly requestedAudience?: string;
  /** The JWT mount config (`bound_issuer`); a `vault-config` entry in `configs` also sets it. */
  readonly vaultConfig?: VaultJwtConfig;
  readonly vaultBehaviour?: 'documented' | 'plugin';
}

export interface Explanation {
  /** The file (or label) the configuration came from. */
  readonly source: string;
  /** What was evaluated, e.g. `AWS role ci-deploy`, `GCP provider github`. */
  readonly label: string;
  readonly decision: PolicyDecision;
  /** The service's own refusal (code and message), when denied. */
  readonly refusal?: string;
}

const TAGS_CLAIM = 'https://aws.amazon.com/tags';

export function explainTrust(
  claims: Claims,
  configs: readonly TrustConfig[],
  options: ExplainOptions,
): readonly Explanation[] {
  const vaultConfig = configs.reduce<VaultJwtConfig>(
    (acc, config) => (config.kind === 'vault-config' ? { ...acc, ...config.config } : acc),
    options.vaultConfig ?? {},
  );
  const providers: { source: string; decision: GcpProviderDecision; pool: string }[] = [];
  const out: Explanation[] = [];
  for (const config of configs) {
    switch (config.kind) {
      case 'aws': {
        const decision = evaluateAwsTrust(config.policy, {
          claims,
          sessionTags: claims[TAGS_CLAIM] !== undefined,
        });
        out.push(
          entry(
            config.source,
            `AWS role ${config.roleName ?? 'trust policy'}`,
            decision,
            decision.error && `${decision.error.code}: ${decision.error.message}`,
          ),
        );
        break;
      }
      case 'gcp': {
        const decision = evaluateGcpProvider(
          config.provider,
          claims,
          options.requestedAudience === undefined
            ? {}
            : { requestedAudience: options.requestedAudience },
        );
        providers.push({ source: config.source, decision, pool: poolOf(config.provider.name) });
        const name = config.provider.name.split('/').pop() ?? config.provider.name;
        out.push(
          entry(
            config.source,
            `GCP provider ${name}`,
            decision,
            decision.error && `${decision.error.error}: ${decision.error.description}`,
          ),
        );
        break;
      }
      case 'azure': {
        const decision = evaluateAzureCredentials(config.credentials, claims);
        out.push(
          entry(
            config.source,
            'Azure federated credentials',
            decision,
            decision.error?.description,
          ),
        );
        break;
      }
      case 'vault': {
        const decision = evaluateVaultRole(config.role, vaultConfig, claims, {
          now: options.now,
          ...(options.vaultBehaviour === undefined ? {} : { behaviour: options.vaultBehaviour }),
        });
        out.push(
          entry(
            config.source,
            `Vault role ${config.role.name ?? ''}`.trim(),
            decision,
            decision.error && `${decision.error.status}: ${decision.error.message}`,
          ),
        );
        break;
      }
      case 'gcp-iam-policy':
      case 'vault-config':
        break;
    }
  }
  for (const config of configs) {
    if (config.kind !== 'gcp-iam-policy') continue;
    const provider = providers[0];
    if (provider === undefined) {
      throw new WifError(
        'usage',
        `${config.source} is a service-account IAM policy; it needs the provider too.`,
        {
          fix: 'Pass the provider describe JSON beside it, so wif knows the pool and google.subject.',
        },
      );
    }
    const { decision } = provider;
    if (!decision.accepted || decision.subject === undefined) {
      out.push({
        source: config.source,
        label: 'GCP service-account binding',
        decision: {
          format: 'gcp',
          accepted: false,
          trace: [],
          hint: `not evaluated: the provider in ${provider.source} refuses the token first.`,
        },
      });
      continue;
    }
    const binding = evaluateGcpBinding(config.policy, {
      pool: provider.pool,
      subject: decision.subject,
      attributes: decision.attributes,
    });
    out.push(
      entry(
        config.source,
        'GCP service-account binding',
        binding,
        binding.accepted
          ? undefined
          : "PERMISSION_DENIED: Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
      ),
    );
  }
  if (out.length === 0) {
    throw new WifError(
      'usage',
      'No trust configuration to evaluate (only mount configs were given).',
      {
        fix: 'Pass at least one AWS, GCP, Azure or Vault role configuration.',
      },
    );
  }
  return out;
}

function entry(
  source: string,
  label: string,
  decision: PolicyDecision,
  refusal: string | undefined,
): Explanation {
  return refusal === undefined ? { source, label, decision } : { source, label, decision, refusal };
}
