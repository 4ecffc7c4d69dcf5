import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { GitHubJobSpec } from './github-claims.ts';
import { githubJob } from './github-claims.ts';

/**
 * GitHub's token request endpoint (PROTOCOLS.md §4.1): each running job has a URL under
 * `/_apis/distributedtask/hubs/Actions/plans/<plan>/jobs/<job>/idtoken` and a request token
 * the runner hands it; the endpoint answers `GET <url>?api-version=2.0[&audience=…]` with
 * `{"value": "<jwt>"}`, and refuses once the job has completed.
 */
export interface RegisteredJob {
  readonly plan: string;
  readonly job: string;
  /** Path of the endpoint, without query string. */
  readonly path: string;
  readonly requestToken: string;
  readonly spec: GitHubJobSpec;
  /** Lifetime of the tokens this job gets; GitHub's is 300 s, tests of refresh mode use less. */
  readonly tokenLifetimeSeconds: number | undefined;
  completed: boolean;
}

export type TokenRequestOutcome =
  | { readonly kind: 'issue'; readonly job: RegisteredJob; readonly audience: string | undefined }
  | {
      readonly kind: 'reply';
      readonly status: number;
      readonly body: unknown;
      readonly headers?: Record<string, string>;
    };

const pathPattern =
  /^\/_apis\/distributedtask\/hubs\/Actions\/plans\/([0-9a-f-]{36})\/jobs\/([0-9a-f-]{36})\/idtoken$/;

export class JobRegistry {
  private readonly jobs = new Map<string, RegisteredJob>();

  add(spec: GitHubJobSpec, tokenLifetimeSeconds?: number): RegisteredJob {
    githubJob(spec); // refuse a bad description now, not at the first token request
    const plan = randomUUID();
    const job = randomUUID();
    const registered: RegisteredJob = {
      plan,
      job,
      path: `/_apis/distributedtask/hubs/Actions/plans/${plan}/jobs/${job}/idtoken`,
      requestToken: randomBytes(32).toString('base64url'),
      spec,
      tokenLifetimeSeconds,
      completed: false,
    };
    this.jobs.set(registered.path, registered);
    return registered;
  }

  /** True when `path` is a job token path this registry serves (known job or not). */
  static matches(path: string): boolean {
    return pathPattern.test(path);
  }

  /** Decides a token request; the caller signs the token when the outcome is `issue`. */
  handle(method: string, url: URL, authorization: string | undefined): TokenRequestOutcome {
    if (method !== 'GET') {
      return {
        kind: 'reply',
        status: 405,
        body: vssError(
          `The requested resource does not support http method '${method}'.`,
          'HttpMethodNotAllowedException',
        ),
        headers: { allow: 'GET' },
      };
    }
    const job = this.jobs.get(url.pathname);
    if (job === undefined) {
      return {
        kind: 'reply',
        status: 404,
        body: vssError('The job was not found.', 'JobNotFoundException'),
      };
    }
    if (!bearerMatches(authorization, job.requestToken)) {
      return {
        kind: 'reply',
        status: 401,
        body: vssError(
          'The request token is missing or not valid for this job.',
          'UnauthorizedRequestException',
        ),
        headers: { 'www-authenticate': 'Bearer' },
      };
    }
    if (url.searchParams.get('api-version') === null) {
      return {
        kind: 'reply',
        status: 400,
        body: vssError(
          'No api-version was supplied for the request.',
          'VssApiVersionNotSpecifiedException',
        ),
      };
    }
    if (job.completed) {
      return {
        kind: 'reply',
        status: 400,
        body: vssError(
          "Can't issue ID_TOKEN for job in 'Completed' state.",
          'CannotGenerateIdTokenException',
        ),
      };
    }
    const audience = url.searchParams.get('audience');
    return {
      kind: 'issue',
      job,
      audience: audience === null || audience === '' ? undefined : audience,
    };
  }
}

/** The Azure DevOps error envelope the Actions service answers with. */
export function vssError(message: string, typeKey: string): Record<string, unknown> {
  return {
    $id: '1',
    innerException: null,
    message,
    typeName: `GitHub.Actions.Runtime.WebApi.${typeKey}, GitHub.Actions.Runtime.WebApi`,
    typeKey,
    errorCode: 0,
    eventId: 3000,
  };
}

function bearerMatches(header: string | undefined, expected: string): boolean {
  const match = /^Bearer (.+)$/i.exec(header ?? '');
  if (match?.[1] === undefined) return false;
  const given = Buffer.from(match[1]);
  const want = Buffer.from(expected);
  return given.length === want.length && timingSafeEqual(given, want);
}
