import * as core from '@actions/core';
import { WifError } from '../../core/errors.ts';
import type { TokenSource } from '../../core/token/source.ts';
import { takePrefetchedIdToken } from './early-token.ts';

/**
 * GitHub's token source, through the toolkit's own `getIDToken` so the token is requested and
 * masked exactly as every other action does it. The toolkit wraps failures in prose; we read
 * the status code back out of it to tell transient failures from permanent ones.
 */
export function githubTokenSource(
  env: Readonly<Record<string, string | undefined>>,
  options: { workflowCommands?: WorkflowCommandRoute } = {},
): TokenSource {
  return {
    spec: { kind: 'github' },
    description: 'the GitHub Actions OIDC endpoint',
    mintsPerAudience: true,
    async fetch(audience) {
      if (!env['ACTIONS_ID_TOKEN_REQUEST_URL'] || !env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']) {
        throw new WifError(
          'token-missing',
          'This job may not request an OIDC token (ACTIONS_ID_TOKEN_REQUEST_TOKEN is not set).',
          {
            fix: 'Add `permissions: id-token: write` to the job or workflow; pull requests from forks and Dependabot runs never get one.',
          },
        );
      }
      const early = takePrefetchedIdToken(audience);
      if (early !== undefined) {
        const outcome = await early;
        if (outcome.ok) return outcome.token;
        throw classify(outcome.error);
      }
      try {
        const route = workflowCommandRoute(env, options.workflowCommands ?? 'stdout');
        return route === 'stdout'
          ? await core.getIDToken(audience)
          : await rerouteCommands(route, () => core.getIDToken(audience));
      } catch (error) {
        throw classify(error);
      }
    },
  };
}

/**
 * Where the toolkit's `::add-mask::`/`::debug::` lines go. In a `run:` step of the CLI, stdout
 * is the command's data (JSON, export lines), so they go to stderr, which the runner also reads
 * for workflow commands. The detached refresher has no job log at all, so it drops them rather
 * than copying the token into its log file.
 */
export type WorkflowCommandRoute = 'stdout' | 'stderr' | 'drop';

/**
 * Only a GitHub runner reads workflow commands. Anywhere else (the sandbox, a workstation with
 * ACTIONS_ID_TOKEN_REQUEST_URL set) `::add-mask::` masks nothing and would print the whole
 * token, so there they are dropped.
 */
function workflowCommandRoute(
  env: Readonly<Record<string, string | undefined>>,
  wanted: WorkflowCommandRoute,
): WorkflowCommandRoute {
  return env['GITHUB_ACTIONS'] === 'true' ? wanted : 'drop';
}

/**
 * Token requests overlap (one per target), so stdout is patched once while any is in flight and
 * restored when the last one ends; a per-call patch and restore would let one request restore
 * stdout while another is about to print its `::add-mask::`.
 */
const inFlight = { stderr: 0, drop: 0 };
let unpatched: typeof process.stdout.write | undefined;

async function rerouteCommands<T>(
  route: 'stderr' | 'drop',
  operation: () => Promise<T>,
): Promise<T> {
  if (unpatched === undefined) {
    const original = process.stdout.write.bind(process.stdout);
    unpatched = original;
    process.stdout.write = (chunk: string | Uint8Array, ...rest: never[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (text.startsWith('::'))
        return inFlight.drop > 0 ? true : process.stderr.write(chunk, ...rest);
      return original(chunk, ...rest);
    };
  }
  inFlight[route]++;
  try {
    return await operation();
  } finally {
    inFlight[route]--;
    if (inFlight.stderr + inFlight.drop === 0) {
      process.stdout.write = unpatched;
      unpatched = undefined;
    }
  }
}

const STATUS = /Error Code\s*:\s*(\d{3}|undefined)/;
const SERVER_MESSAGE = /Error Message:\s*([^\n]*)/;

export function classify(error: unknown): WifError {
  const text = error instanceof Error ? error.message : String(error);
  const status = STATUS.exec(text)?.[1];
  const serverMessage =
    SERVER_MESSAGE.exec(text)?.[1]?.trim() ?? text.replace(/^Error message:\s*/, '');
  if (status === undefined || status === 'undefined') {
    if (/ID Token field/.test(text)) {
      return new WifError(
        'token-request-failed',
        'The GitHub OIDC endpoint answered without a token ("value" missing).',
        {
          fix: "Check ACTIONS_ID_TOKEN_REQUEST_URL points at the runner's token endpoint.",
        },
      );
    }
    return new WifError('network', `Could not reach the GitHub OIDC endpoint: ${serverMessage}`, {
      fix: 'Check the runner can reach ACTIONS_ID_TOKEN_REQUEST_URL (proxy, firewall).',
      transient: true,
      cause: error,
    });
  }
  const code = Number(status);
  const transient = code === 429 || code >= 500;
  if (/Completed' state/.test(text)) {
    return new WifError(
      'token-request-failed',
      `GitHub refused to mint a token: ${serverMessage}`,
      {
        fix: 'Tokens can only be requested while the job runs; request it in a step, not after the job ended.',
      },
    );
  }
  if (code === 401 || code === 403) {
    return new WifError(
      'token-request-failed',
      `GitHub refused the token request (HTTP ${code}): ${serverMessage}`,
      {
        fix: 'Add `permissions: id-token: write` to the job; the request token of this job is not valid for the endpoint.',
      },
    );
  }
  return new WifError(
    'token-request-failed',
    `The GitHub OIDC endpoint failed (HTTP ${code}): ${serverMessage}`,
    {
      fix: transient
        ? 'GitHub had a transient failure; retry the job.'
        : "Check the audience and the runner's token endpoint.",
      transient,
    },
  );
}
