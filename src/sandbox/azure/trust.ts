import type { Claims } from '../../core/token/claims.ts';
import {
  evaluateAzureCredentials,
  type AzureFederatedCredential,
} from '../../core/policy/index.ts';
import type { AadstsCode } from './aadsts.ts';

export type CredentialMatch =
  | { readonly ok: true; readonly credential: string }
  | { readonly ok: false; readonly code: AadstsCode; readonly hint: string | undefined };

/**
 * Federated-credential matching is the policy engine's job (the same code `wif explain` runs),
 * so the emulator refuses exactly what the explanation says it refuses; this only picks the
 * AADSTS code the engine decided on.
 */
export function matchFederatedCredential(
  credentials: readonly AzureFederatedCredential[],
  claims: Claims,
): CredentialMatch {
  const decision = evaluateAzureCredentials(credentials, claims);
  if (decision.accepted && decision.matched !== undefined)
    return { ok: true, credential: decision.matched.name };
  return { ok: false, code: decision.error?.code ?? 70021, hint: decision.hint };
}
