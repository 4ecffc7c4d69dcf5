import { signingAlgs } from './keys.ts';

/**
 * The OpenID Provider metadata, in the shape token.actions.githubusercontent.com publishes
 * (an issuer that only mints ID tokens: no authorization or token endpoint).
 */
export interface DiscoveryDocument {
  readonly issuer: string;
  readonly jwks_uri: string;
  readonly subject_types_supported: readonly string[];
  readonly response_types_supported: readonly string[];
  readonly claims_supported: readonly string[];
  readonly id_token_signing_alg_values_supported: readonly string[];
  readonly scopes_supported: readonly string[];
}

export const jwksPath = '/.well-known/jwks';
export const discoveryPath = '/.well-known/openid-configuration';

export function discoveryDocument(issuer: string): DiscoveryDocument {
  return {
    issuer,
    jwks_uri: `${issuer}${jwksPath}`,
    subject_types_supported: ['public', 'pairwise'],
    response_types_supported: ['id_token'],
    claims_supported,
    id_token_signing_alg_values_supported: [...signingAlgs],
    scopes_supported: ['openid'],
  };
}

const claims_supported = [
  'sub',
  'aud',
  'exp',
  'iat',
  'iss',
  'jti',
  'nbf',
  'ref',
  'sha',
  'repository',
  'repository_id',
  'repository_owner',
  'repository_owner_id',
  'enterprise',
  'enterprise_id',
  'run_id',
  'run_number',
  'run_attempt',
  'actor',
  'actor_id',
  'workflow',
  'workflow_ref',
  'workflow_sha',
  'head_ref',
  'base_ref',
  'event_name',
  'ref_type',
  'ref_protected',
  'environment',
  'job_workflow_ref',
  'job_workflow_sha',
  'repository_visibility',
  'runner_environment',
  'check_run_id',
];
