import type { Claims } from '../../core/token/claims.ts';
import { readSpec, usage, type FieldKind } from './spec.ts';

/**
 * The claims GitHub Actions puts in a job's OIDC token (PROTOCOLS.md §4.2), built from a small
 * job description. Every custom value is a JSON string, numeric IDs included, as on GitHub.
 */
export interface GitHubJob {
  /** `owner/repo`. */
  readonly repository: string;
  readonly repositoryOwnerId: string;
  readonly repositoryId: string;
  readonly repositoryVisibility: 'public' | 'private' | 'internal';
  readonly ref: string;
  readonly refProtected: boolean;
  readonly sha: string;
  readonly eventName: string;
  readonly headRef: string;
  readonly baseRef: string;
  /** Set when the job declares an environment; it then also decides the default `sub`. */
  readonly environment: string | undefined;
  readonly workflow: string;
  /** Workflow file inside the repository, e.g. `.github/workflows/ci.yml`. */
  readonly workflowPath: string;
  /** The reusable workflow running this job; defaults to the top-level workflow. */
  readonly jobWorkflowRef: string | undefined;
  readonly jobWorkflowSha: string | undefined;
  readonly actor: string;
  readonly actorId: string;
  readonly runId: string;
  readonly runNumber: string;
  readonly runAttempt: string;
  readonly runnerEnvironment: 'github-hosted' | 'self-hosted';
  readonly checkRunId: string | undefined;
  readonly enterprise: string | undefined;
  readonly enterpriseId: string | undefined;
  /** Organization custom properties, published as `repo_property_<name>`. */
  readonly repoProperties: Readonly<Record<string, string | boolean | readonly string[]>>;
  /** The `repo:OWNER@OWNER_ID/REPO@REPO_ID:…` subject of repositories created from 2026-07-15. */
  readonly immutableSubject: boolean;
  /** A custom subject template (`include_claim_keys`); `repo` and `context` mean the default parts. */
  readonly includeClaimKeys: readonly string[] | undefined;
}

export type GitHubJobSpec = { readonly [K in keyof GitHubJob]?: GitHubJob[K] };

/** The default job every sandbox emulator's default configuration trusts. */
export const defaultGitHubJob: GitHubJob = {
  repository: 'octo-org/octo-repo',
  repositoryOwnerId: '65',
  repositoryId: '74',
  repositoryVisibility: 'private',
  ref: 'refs/heads/main',
  refProtected: true,
  sha: 'e3a1b2c4d5f60718293a4b5c6d7e8f9012345678',
  eventName: 'push',
  headRef: '',
  baseRef: '',
  environment: undefined,
  workflow: 'CI',
  workflowPath: '.github/workflows/ci.yml',
  jobWorkflowRef: undefined,
  jobWorkflowSha: undefined,
  actor: 'octocat',
  actorId: '583231',
  runId: '1234',
  runNumber: '10',
  runAttempt: '1',
  runnerEnvironment: 'github-hosted',
  checkRunId: undefined,
  enterprise: undefined,
  enterpriseId: undefined,
  repoProperties: {},
  immutableSubject: false,
  includeClaimKeys: undefined,
};

const fields: Readonly<Record<keyof GitHubJob, FieldKind>> = {
  repository: 'string',
  repositoryOwnerId: 'string',
  repositoryId: 'string',
  repositoryVisibility: 'string',
  ref: 'string',
  refProtected: 'boolean',
  sha: 'string',
  eventName: 'string',
  headRef: 'string',
  baseRef: 'string',
  environment: 'string',
  workflow: 'string',
  workflowPath: 'string',
  jobWorkflowRef: 'string',
  jobWorkflowSha: 'string',
  actor: 'string',
  actorId: 'string',
  runId: 'string',
  runNumber: 'string',
  runAttempt: 'string',
  runnerEnvironment: 'string',
  checkRunId: 'string',
  enterprise: 'string',
  enterpriseId: 'string',
  repoProperties: 'properties',
  immutableSubject: 'boolean',
  includeClaimKeys: 'strings',
};

/** Reads a GitHub job description from config or control-server JSON. */
export function readGitHubJobSpec(value: unknown, where: string): GitHubJobSpec {
  const spec = readSpec(value, where, fields) as GitHubJobSpec;
  githubJob(spec, where);
  return spec;
}

/** Fills a spec with the defaults and checks what GitHub itself would refuse. */
export function githubJob(spec: GitHubJobSpec = {}, where = 'GitHub job'): GitHubJob {
  const job: GitHubJob = { ...defaultGitHubJob };
  for (const [key, value] of Object.entries(spec)) {
    if (value !== undefined) Object.assign(job, { [key]: value });
  }
  if (!/^[^/\s]+\/[^/\s]+$/.test(job.repository)) {
    throw usage(`${where}: repository "${job.repository}" must look like owner/repo.`);
  }
  if (!['public', 'private', 'internal'].includes(job.repositoryVisibility)) {
    throw usage(`${where}: repositoryVisibility must be public, private or internal.`);
  }
  if (!['github-hosted', 'self-hosted'].includes(job.runnerEnvironment)) {
    throw usage(`${where}: runnerEnvironment must be github-hosted or self-hosted.`);
  }
  if (!job.ref.startsWith('refs/')) {
    throw usage(`${where}: ref "${job.ref}" must be a full ref such as refs/heads/main.`);
  }
  for (const key of job.includeClaimKeys ?? []) {
    const known = templateKeys.has(key) || key.startsWith('repo_property_');
    if (key !== 'repo' && key !== 'context' && !known) {
      throw usage(`${where}: includeClaimKeys has "${key}", which is not a GitHub OIDC claim.`);
    }
  }
  return job;
}

export interface TokenTimes {
  readonly issuer: string;
  readonly audience: string;
  readonly iat: number;
  readonly lifetimeSeconds: number;
  readonly jti: string;
}

/** GitHub's default audience: the URL of the repository owner. */
export function githubDefaultAudience(job: GitHubJob): string {
  return `https://github.com/${owner(job)}`;
}

export function githubClaims(job: GitHubJob, t: TokenTimes): Claims {
  const [ownerName, repoName] = job.repository.split('/') as [string, string];
  const workflowRef = `${job.repository}/${job.workflowPath}@${job.ref}`;
  const custom: Record<string, string> = {
    ref: job.ref,
    sha: job.sha,
    repository: job.repository,
    repository_owner: ownerName,
    repository_owner_id: job.repositoryOwnerId,
    run_id: job.runId,
    run_number: job.runNumber,
    run_attempt: job.runAttempt,
    repository_visibility: job.repositoryVisibility,
    repository_id: job.repositoryId,
    actor_id: job.actorId,
    actor: job.actor,
    workflow: job.workflow,
    head_ref: job.headRef,
    base_ref: job.baseRef,
    event_name: job.eventName,
    ref_protected: String(job.refProtected),
    ref_type: refType(job.ref),
    workflow_ref: workflowRef,
    workflow_sha: job.sha,
    // Real tokens carry these on every job; for a top-level job they repeat the workflow's.
    job_workflow_ref: job.jobWorkflowRef ?? workflowRef,
    job_workflow_sha: job.jobWorkflowSha ?? job.sha,
    runner_environment: job.runnerEnvironment,
  };
  if (job.environment !== undefined) custom.environment = job.environment;
  if (job.checkRunId !== undefined) custom.check_run_id = job.checkRunId;
  if (job.enterprise !== undefined) custom.enterprise = job.enterprise;
  if (job.enterpriseId !== undefined) custom.enterprise_id = job.enterpriseId;
  for (const [name, value] of Object.entries(job.repoProperties)) {
    custom[`repo_property_${name}`] =
      typeof value === 'string'
        ? value
        : typeof value === 'boolean'
          ? String(value)
          : value.join(',');
  }
  return {
    jti: t.jti,
    sub: githubSubject(job, custom, ownerName, repoName),
    aud: t.audience,
    ...custom,
    iss: t.issuer,
    // GitHub's documented example: valid from ten minutes before issue (clock skew), for 5 min.
    nbf: t.iat - 600,
    exp: t.iat + t.lifetimeSeconds,
    iat: t.iat,
  };
}

function githubSubject(
  job: GitHubJob,
  custom: Readonly<Record<string, string>>,
  ownerName: string,
  repoName: string,
): string {
  const repo = job.immutableSubject
    ? `repo:${ownerName}@${job.repositoryOwnerId}/${repoName}@${job.repositoryId}`
    : `repo:${ownerName}/${repoName}`;
  const context =
    job.environment !== undefined
      ? `environment:${encode(job.environment)}`
      : job.eventName === 'pull_request'
        ? 'pull_request'
        : `ref:${encode(job.ref)}`;
  const keys = job.includeClaimKeys;
  if (keys === undefined || keys.length === 0) return `${repo}:${context}`;
  return keys
    .map((key) => {
      if (key === 'repo') return repo;
      if (key === 'context') return context;
      return `${key}:${encode(custom[key] ?? '')}`;
    })
    .join(':');
}

/** GitHub escapes `:` inside a value so the subject's separators stay unambiguous. */
function encode(value: string): string {
  return value.replaceAll(':', '%3A');
}

function refType(ref: string): string {
  return ref.startsWith('refs/tags/') ? 'tag' : 'branch';
}

function owner(job: GitHubJob): string {
  return job.repository.split('/')[0] ?? job.repository;
}

const templateKeys = new Set([
  'ref',
  'sha',
  'repository',
  'repository_owner',
  'repository_owner_id',
  'run_id',
  'run_number',
  'run_attempt',
  'repository_visibility',
  'repository_id',
  'actor_id',
  'actor',
  'workflow',
  'head_ref',
  'base_ref',
  'event_name',
  'ref_protected',
  'ref_type',
  'environment',
  'workflow_ref',
  'workflow_sha',
  'job_workflow_ref',
  'job_workflow_sha',
  'runner_environment',
  'check_run_id',
  'enterprise',
  'enterprise_id',
]);
