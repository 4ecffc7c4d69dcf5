/**
 * Keeps one pull-request comment per marker up to date: the first run creates it, later runs
 * edit it in place, so a PR carries one current scan summary rather than one per push.
 */
import { WifError } from '../../core/errors.ts';
import { loadProxySupport } from './proxy-support.ts';

export interface CommentTarget {
  readonly token: string;
  readonly owner: string;
  readonly repo: string;
  readonly issueNumber: number;
  /** GitHub API base URL; GITHUB_API_URL on GitHub Enterprise Server. */
  readonly baseUrl?: string;
}

export type UpsertResult = { readonly action: 'created' | 'updated'; readonly id: number };

/** Comments scanned for the marker; a PR with more than this is not worth searching further. */
const MAX_COMMENTS = 1_000;

export async function upsertPullRequestComment(
  target: CommentTarget,
  marker: string,
  body: string,
): Promise<UpsertResult> {
  if (!body.includes(marker)) {
    throw new WifError('internal', 'The comment body does not carry its marker.');
  }
  // Behind a proxy, @actions/github builds its proxy agent as it loads: undici must be first.
  await loadProxySupport();
  const { getOctokit } = await import('@actions/github');
  const octokit = getOctokit(
    target.token,
    target.baseUrl === undefined ? {} : { baseUrl: target.baseUrl },
  );
  const where = { owner: target.owner, repo: target.repo };
  try {
    let existing: number | undefined;
    let seen = 0;
    for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
      ...where,
      issue_number: target.issueNumber,
      per_page: 100,
    })) {
      const found = page.data.find((comment) => comment.body?.includes(marker) === true);
      if (found !== undefined) {
        existing = found.id;
        break;
      }
      seen += page.data.length;
      if (seen >= MAX_COMMENTS) break;
    }
    if (existing !== undefined) {
      await octokit.rest.issues.updateComment({ ...where, comment_id: existing, body });
      return { action: 'updated', id: existing };
    }
    const created = await octokit.rest.issues.createComment({
      ...where,
      issue_number: target.issueNumber,
      body,
    });
    return { action: 'created', id: created.data.id };
  } catch (error) {
    const status = (error as { status?: number }).status;
    throw new WifError(
      status === 401 || status === 403 || status === 404 ? 'denied' : 'service',
      `Could not update the pull-request comment (HTTP ${status ?? 'error'}).`,
      {
        fix: 'Give the token `pull-requests: write` (and `issues: write`), or leave the token input empty to skip the comment.',
        cause: error,
      },
    );
  }
}
