/**
 * Scrubs text before it is logged. SDK errors can echo request bodies, and a request body can
 * hold a token; masking in the runner covers values we registered, this covers the rest.
 */
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const AWS_SECRET_FIELD =
  /((?:SecretAccessKey|SessionToken|secret_access_key|session_token)["'>:=\s]+)[A-Za-z0-9/+=]{16,}/g;
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
/** The userinfo of a URL (`scheme://user:password@host`): proxy and endpoint URLs carry passwords. */
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;

export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  return out
    .replace(JWT, '***')
    .replace(AWS_SECRET_FIELD, '$1***')
    .replace(BEARER, '$1***')
    .replace(URL_USERINFO, '$1***@');
}

/**
 * A URL-ish value as a message may show it: any credentials (`user:password@`) replaced by
 * `***`, and the query and fragment, which can carry tokens, left out. A value without a host
 * (`user:secret@proxy:3128` parses as scheme `user:`) is shown only after its last `@`.
 */
export function shownUrl(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url !== undefined && url.host !== '') {
    const userinfo = url.username !== '' || url.password !== '' ? '***@' : '';
    const rest = url.search !== '' || url.hash !== '' ? '?…' : '';
    return `${url.protocol}//${userinfo}${url.host}${url.pathname}${rest}`;
  }
  const at = value.lastIndexOf('@');
  return at === -1 ? value : `***@${value.slice(at + 1)}`;
}
