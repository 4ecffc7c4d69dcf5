/**
 * Recognises static credential material in a configuration value: what INV-2 forbids anyone to
 * commit. Each detector names what it found, so a finding can say it in words. Patterns follow
 * the issuers' documented formats (AWS key ids, PEM armour, GCP key files, Vault token
 * prefixes, kubeconfig fields).
 */
import { isPlaceholder } from './secret-data.ts';

interface Detector {
  readonly what: string;
  /**
   * Literal text that every match contains (one of them, when several): a substring search
   * rules out almost every configuration value before any pattern runs.
   */
  readonly hints: readonly string[];
  readonly matches: (key: string, text: string) => boolean;
}

const AWS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/;
const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;
const GCP_KEY_FILE =
  /"type"\s*:\s*"service_account"[\s\S]*"private_key"|"private_key"[\s\S]*"type"\s*:\s*"service_account"/;
/** Current Vault tokens (`hvs.`, `hvb.`, `hvr.`) and the legacy 24-character `s.` form. */
const VAULT_TOKEN = /\b(?:hv[sbr]\.[A-Za-z0-9_-]{20,}|[sb]\.[A-Za-z0-9]{24})\b/;
const AWS_SECRET_IN_TEXT = /\baws_secret_access_key\s*[=:]\s*\S+/i;
const KUBECONFIG_CREDENTIAL = /(?:^|\n)\s*(?:client-key-data|token)\s*:\s*(?!\s*$)(?!["']?\$\{)\S+/;
const BEARER_TOKEN_IN_TEXT = /"?bearerToken"?\s*:\s*"[^"\s]+"/;

const KEY_NAMED: readonly (readonly [RegExp, string])[] = [
  [/^aws_secret_access_key$/i, 'an AWS secret access key'],
  [/^(?:password|passwd|db[_-]?password)$/i, 'a password'],
  [/^sshPrivateKey$/, 'an SSH private key'],
  [/^bearerToken$/, 'a bearer token'],
  [/^(?:vault[_-]?token|VAULT_TOKEN)$/i, 'a Vault token'],
];

const DETECTORS: readonly Detector[] = [
  {
    what: 'an AWS access key id',
    hints: ['AKIA', 'ASIA'],
    matches: (_key, text) => AWS_KEY_ID.test(text),
  },
  {
    what: 'an AWS secret access key',
    // The pattern is case-insensitive; `_` is the one literal every spelling keeps.
    hints: ['_'],
    matches: (_key, text) => AWS_SECRET_IN_TEXT.test(text),
  },
  {
    what: 'a PEM private key',
    hints: ['PRIVATE KEY-----'],
    matches: (_key, text) => PEM_PRIVATE_KEY.test(text),
  },
  {
    what: 'a GCP service-account key file',
    hints: ['"service_account"'],
    matches: (_key, text) => GCP_KEY_FILE.test(text),
  },
  {
    what: 'a Vault token',
    // Every form ends its prefix in `s.`, `b.` or `r.` (`hvs.`, `hvb.`, `hvr.`, `s.`, `b.`).
    hints: ['s.', 'b.', 'r.'],
    matches: (_key, text) => VAULT_TOKEN.test(text),
  },
  {
    what: 'a kubeconfig with an embedded credential',
    hints: ['users', 'clusters'],
    matches: (_key, text) =>
      /(?:^|\n)\s*(?:users|clusters)\s*:/.test(text) && KUBECONFIG_CREDENTIAL.test(text),
  },
  {
    what: 'a bearer token',
    hints: ['bearerToken'],
    matches: (_key, text) => BEARER_TOKEN_IN_TEXT.test(text),
  },
];

function mentionsAny(text: string, hints: readonly string[]): boolean {
  for (let index = 0; index < hints.length; index += 1) {
    if (text.includes(hints[index] as string)) return true;
  }
  return false;
}

/**
 * What credential `text` (stored under `key`) holds, or undefined. Placeholders and empty
 * values hold nothing.
 */

export function credentialMaterial(key: string, text: string): string | undefined {
  if (isPlaceholder(text)) return undefined;
  // Indexed loops without callbacks: this runs for every value of every Secret and ConfigMap.
  for (let index = 0; index < DETECTORS.length; index += 1) {
    const detector = DETECTORS[index] as Detector;
    if (!mentionsAny(text, detector.hints)) continue;
    if (detector.matches(key, text)) return detector.what;
  }
  for (const [pattern, what] of KEY_NAMED) {
    if (pattern.test(key)) return what;
  }
  return undefined;
}
