import type { AzureTenant } from './config.ts';

/**
 * The tenant's OpenID Provider metadata ("OpenID Connect on the Microsoft identity platform",
 * "Find your app's OpenID configuration document URI"): endpoints are named by tenant ID even
 * when the document was requested by domain name, and `issuer` is `<host>/<tenant-id>/v2.0`.
 * MSAL refuses the document unless it has `authorization_endpoint`, `token_endpoint`,
 * `issuer` and `jwks_uri`; the remaining fields are the ones Entra ID publishes, minus those
 * that would point at another host (userinfo, Kerberos, Graph, RBAC).
 */
export function discoveryDocument(base: string, tenant: AzureTenant): Record<string, unknown> {
  const root = `${base}/${tenant.id}`;
  return {
    token_endpoint: `${root}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: [
      'client_secret_post',
      'private_key_jwt',
      'client_secret_basic',
    ],
    jwks_uri: `${root}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${root}/v2.0`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${root}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${root}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    tenant_region_scope: null,
    cloud_instance_name: 'microsoftonline.com',
  };
}
