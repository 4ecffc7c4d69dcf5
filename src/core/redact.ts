/**
 * Scrubs text before it is logged. SDK errors can echo request bodies, and a request body can
 * hold a token; masking in the runner covers values we registered, this covers the rest.
 */
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const AWS_SECRET_FIELD =
  /((?:SecretAccessKey|SessionToken|secret_access_key|session_token)["'>:=\s]+)[A-Za-z0-9/+=]{16,}/g;
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;

export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  return out.replace(JWT, '***').replace(AWS_SECRET_FIELD, '$1***').replace(BEARER, '$1***');
}
