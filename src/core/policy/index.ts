/**
 * The trust-policy engine: would this trust configuration accept a token with these claims,
 * and if not, why? Shared by `wif explain`, the scanner and the sandbox emulators.
 *
 * Every evaluator is pure (time comes in as `now`), takes typed values produced by the
 * matching `parse…` function (which throws `WifError('usage', …)` on malformed JSON), and
 * returns a {@link PolicyDecision}: `accepted`, a per-condition `trace`, and a `hint` naming
 * the likely cause of a refusal. Service-specific refusal details (STS error code, AADSTS
 * code, Vault error text, Google STS error) ride along on each format's decision type so
 * an emulator can answer exactly as the real service would.
 *
 * Typical emulator use:
 *
 * ```ts
 * const decision = evaluateAwsTrust(role.trustPolicy, { claims, providerArns, clientIds, sessionTags });
 * if (!decision.accepted) return stsError(decision.error); // { code: 'AccessDenied', message }
 *
 * const chained = evaluateAwsAssumeRole(role.trustPolicy, { caller, roleArn, externalId });
 *
 * const gcp = evaluateGcpProvider(provider, claims, { requestedAudience });
 * if (!gcp.accepted) return oauthError(gcp.error);         // { status, error, description }
 * const bound = evaluateGcpBinding(saPolicy, { pool: poolOf(provider.name), subject: gcp.subject!, attributes: gcp.attributes });
 *
 * const azure = evaluateAzureCredentials(fics, claims);    // azure.error.code: 70021 | 700211 | 700213 | 7002138
 * const vault = evaluateVaultRole(role, mountConfig, claims, { now });  // vault.error: { status, message }
 * ```
 */

// The shared result shape.
export type { ConditionTrace, PolicyDecision, PolicyFormat } from './decision.ts';
export { ABSENT, renderValue } from './decision.ts';

// AWS IAM role trust policies (sts:AssumeRoleWithWebIdentity).
export type {
  AwsBaseOperator,
  AwsCondition,
  AwsDecision,
  AwsStatement,
  AwsTrustPolicy,
  AwsTrustRequest,
} from './aws.ts';
export {
  ASSUME_ACTION,
  AWS_GITHUB_CONDITION_CLAIMS,
  TAG_SESSION_ACTION,
  evaluateAwsTrust,
  issuerHost,
  parseAwsTrustPolicy,
  providerArnFor,
} from './aws.ts';

// The same trust policies for sts:AssumeRole by a role session (role chaining).
export type {
  AwsAssumeRoleDecision,
  AwsAssumeRoleRequest,
  AwsRoleSessionCaller,
} from './aws-assume-role.ts';
export {
  ASSUME_ROLE_ACTION,
  AWS_ASSUME_ROLE_CONDITION_KEYS,
  evaluateAwsAssumeRole,
  parseAwsAssumeRolePolicy,
} from './aws-assume-role.ts';

// GCP workload identity pool providers and the service-account binding.
export type {
  GcpAttributeValue,
  GcpBindingCaller,
  GcpBindingDecision,
  GcpFederatedPrincipal,
  GcpIamBinding,
  GcpIamPolicy,
  GcpProvider,
  GcpProviderDecision,
  GcpProviderRequest,
  GcpServiceAccountCaller,
  GcpStsError,
} from './gcp.ts';
export {
  WORKLOAD_IDENTITY_USER,
  defaultAudiences,
  evaluateGcpBinding,
  evaluateGcpProvider,
  parseGcpIamPolicy,
  parseGcpProvider,
  poolOf,
} from './gcp.ts';

// Microsoft Entra federated identity credentials (classic and flexible).
export type {
  AadstsCode,
  AzureClaimTerm,
  AzureDecision,
  AzureFederatedCredential,
} from './azure.ts';
export {
  DEFAULT_AZURE_AUDIENCE,
  evaluateAzureCredentials,
  parseAzureCredentials,
  parseExpression as parseClaimsMatchingExpression,
} from './azure.ts';

// HashiCorp Vault JWT auth roles.
export type {
  VaultClaimValue,
  VaultDecision,
  VaultJwtConfig,
  VaultJwtRole,
  VaultLoginOptions,
} from './vault.ts';
export { evaluateVaultRole, parseVaultConfig, parseVaultRole } from './vault.ts';

// Recognising exported configurations, explaining, rendering.
export type { TrustConfig, TrustConfigType } from './detect.ts';
export { detectTrustConfig } from './detect.ts';
export type { ExplainOptions, Explanation } from './explain.ts';
export { explainTrust } from './explain.ts';
export type { ExplanationJson } from './render.ts';
export {
  explanationJson,
  renderExplanationMarkdown,
  renderExplanationText,
  traceLine,
} from './render.ts';

// The cause-finder, for other callers (the scanner) that want the same wording.
export type { Mismatch, SubjectForm } from './hints.ts';
export { hintFor, parseSubject } from './hints.ts';
export { wildcardMatch } from './match.ts';
