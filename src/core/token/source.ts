import { WifError } from '../errors.ts';

/**
 * Where a pipeline's OIDC token comes from. GitHub mints one per audience on request; GitLab
 * mints them at job start into variables named in the job's `id_tokens:`; Kubernetes projects
 * one into a file that the kubelet rotates (so it is re-read on every use); `env` covers any
 * other platform that hands a token over in a variable.
 */
export type TokenSourceSpec =
  | { readonly kind: 'github' }
  | { readonly kind: 'gitlab'; readonly variable: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'env'; readonly variable: string };

export type TokenSourceKind = TokenSourceSpec['kind'];

export interface TokenSource {
  readonly spec: TokenSourceSpec;
  /** Says where the token came from, for messages ("the GitLab variable WIF_ID_TOKEN"). */
  readonly description: string;
  /**
   * Whether the source mints a token for the audience asked for (GitHub) or hands over one
   * whose audience was fixed beforehand (GitLab `id_tokens`, a projected token file).
   */
  readonly mintsPerAudience: boolean;
  /** Returns the raw compact JWT. Throws WifError; transient failures are marked so. */
  fetch(audience: string | undefined, signal: AbortSignal): Promise<string>;
}

export const DEFAULT_GITLAB_VARIABLE = 'WIF_ID_TOKEN';

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses the `--source` / `token-source` syntax: `github`, `gitlab`, `gitlab:VAR`,
 * `file:/path/to/token`, `env:VAR`, or `auto` (resolved from the environment).
 */
export function parseTokenSourceSpec(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): TokenSourceSpec {
  const value = text.trim();
  if (value === '' || value === 'auto') return detectTokenSource(env);
  const colon = value.indexOf(':');
  const kind = colon === -1 ? value : value.slice(0, colon);
  const arg = colon === -1 ? '' : value.slice(colon + 1);
  switch (kind) {
    case 'github':
      if (arg !== '') break;
      return { kind: 'github' };
    case 'gitlab':
      return {
        kind: 'gitlab',
        variable: checkVariable(arg === '' ? DEFAULT_GITLAB_VARIABLE : arg, text),
      };
    case 'env':
      if (arg === '') break;
      return { kind: 'env', variable: checkVariable(arg, text) };
    case 'file':
      if (arg === '') break;
      return { kind: 'file', path: arg };
    default:
      break;
  }
  throw new WifError('usage', `Unknown token source "${text}".`, {
    fix: 'Use one of: auto, github, gitlab[:VARIABLE], file:/path/to/token, env:VARIABLE.',
  });
}

function checkVariable(name: string, text: string): string {
  if (!VARIABLE_NAME.test(name)) {
    throw new WifError('usage', `Token source "${text}" names an invalid variable "${name}".`, {
      fix: 'Variable names are letters, digits and underscores, not starting with a digit.',
    });
  }
  return name;
}

/** Picks the platform's own source from the variables each CI system documents. */
export function detectTokenSource(
  env: Readonly<Record<string, string | undefined>>,
): TokenSourceSpec {
  if (env['GITHUB_ACTIONS'] === 'true' || env['ACTIONS_ID_TOKEN_REQUEST_URL'] !== undefined) {
    return { kind: 'github' };
  }
  if (env['GITLAB_CI'] === 'true') return { kind: 'gitlab', variable: DEFAULT_GITLAB_VARIABLE };
  throw new WifError(
    'usage',
    'Cannot tell which CI platform this is, so no token source was chosen.',
    {
      fix: 'Pass --source github|gitlab[:VARIABLE]|file:PATH|env:VARIABLE.',
    },
  );
}
