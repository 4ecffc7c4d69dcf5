import type { Claims } from '../../core/token/claims.ts';
import { readSpec, usage, type FieldKind } from './spec.ts';

/**
 * The claims of a GitLab CI `id_tokens` token (PROTOCOLS.md §4.3). IDs are strings except
 * `runner_id`, which GitLab sends as a number.
 */
export interface GitLabJob {
  /** `group/project` (subgroups allowed). */
  readonly projectPath: string;
  readonly projectId: string;
  readonly namespaceId: string;
  readonly projectVisibility: 'public' | 'internal' | 'private';
  readonly userId: string;
  readonly userLogin: string;
  readonly userEmail: string;
  readonly userAccessLevel: string;
  readonly groupsDirect: readonly string[] | undefined;
  readonly pipelineId: string;
  readonly pipelineSource: string;
  readonly jobId: string;
  /** Short ref name, without `refs/heads/`. */
  readonly ref: string;
  readonly refType: 'branch' | 'tag';
  readonly refProtected: boolean;
  readonly environment: string | undefined;
  readonly environmentProtected: boolean;
  readonly deploymentTier: string | undefined;
  readonly runnerId: number;
  readonly runnerEnvironment: 'gitlab-hosted' | 'self-hosted';
  readonly sha: string;
  /** The project's `ci_id_token_sub_claim_components`. */
  readonly subClaimComponents: readonly string[];
}

export type GitLabJobSpec = { readonly [K in keyof GitLabJob]?: GitLabJob[K] };

export const defaultGitLabJob: GitLabJob = {
  projectPath: 'mygroup/myproject',
  projectId: '46573356',
  namespaceId: '68413579',
  projectVisibility: 'private',
  userId: '184239',
  userLogin: 'gitlab-user',
  userEmail: 'gitlab-user@example.com',
  userAccessLevel: 'developer',
  groupsDirect: undefined,
  pipelineId: '1519139981',
  pipelineSource: 'push',
  jobId: '8222997048',
  ref: 'main',
  refType: 'branch',
  refProtected: true,
  environment: undefined,
  environmentProtected: false,
  deploymentTier: undefined,
  runnerId: 12270835,
  runnerEnvironment: 'gitlab-hosted',
  sha: 'f1e2d3c4b5a69788796a5b4c3d2e1f0012345678',
  subClaimComponents: ['project_path', 'ref_type', 'ref'],
};

/** The only component orders GitLab accepts for `ci_id_token_sub_claim_components`. */
const allowedSubOrders = [
  'project_path,ref_type,ref',
  'project_path,ref,ref_type',
  'project_path,ref',
  'project_path,ref_type',
];

const fields: Readonly<Record<keyof GitLabJob, FieldKind>> = {
  projectPath: 'string',
  projectId: 'string',
  namespaceId: 'string',
  projectVisibility: 'string',
  userId: 'string',
  userLogin: 'string',
  userEmail: 'string',
  userAccessLevel: 'string',
  groupsDirect: 'strings',
  pipelineId: 'string',
  pipelineSource: 'string',
  jobId: 'string',
  ref: 'string',
  refType: 'string',
  refProtected: 'boolean',
  environment: 'string',
  environmentProtected: 'boolean',
  deploymentTier: 'string',
  runnerId: 'number',
  runnerEnvironment: 'string',
  sha: 'string',
  subClaimComponents: 'strings',
};

export function readGitLabJobSpec(value: unknown, where: string): GitLabJobSpec {
  const spec = readSpec(value, where, fields) as GitLabJobSpec;
  gitlabJob(spec, where);
  return spec;
}

export function gitlabJob(spec: GitLabJobSpec = {}, where = 'GitLab job'): GitLabJob {
  const job: GitLabJob = { ...defaultGitLabJob };
  for (const [key, value] of Object.entries(spec)) {
    if (value !== undefined) Object.assign(job, { [key]: value });
  }
  if (!/^[^/\s]+(\/[^/\s]+)+$/.test(job.projectPath)) {
    throw usage(`${where}: projectPath "${job.projectPath}" must look like group/project.`);
  }
  if (job.ref.startsWith('refs/')) {
    throw usage(
      `${where}: ref "${job.ref}" must be the short name (GitLab's ref has no refs/ prefix).`,
    );
  }
  if (!['branch', 'tag'].includes(job.refType)) {
    throw usage(`${where}: refType must be branch or tag.`);
  }
  if (!['public', 'internal', 'private'].includes(job.projectVisibility)) {
    throw usage(`${where}: projectVisibility must be public, internal or private.`);
  }
  if (!['gitlab-hosted', 'self-hosted'].includes(job.runnerEnvironment)) {
    throw usage(`${where}: runnerEnvironment must be gitlab-hosted or self-hosted.`);
  }
  if (!allowedSubOrders.includes(job.subClaimComponents.join(','))) {
    throw usage(
      `${where}: subClaimComponents must be one of ${allowedSubOrders.map((o) => `[${o}]`).join(', ')}.`,
    );
  }
  return job;
}

export interface GitLabTokenTimes {
  readonly issuer: string;
  readonly audience: string | readonly string[];
  readonly iat: number;
  readonly lifetimeSeconds: number;
  readonly jti: string;
}

export function gitlabClaims(job: GitLabJob, t: GitLabTokenTimes): Claims {
  const refPath = `${job.refType === 'tag' ? 'refs/tags' : 'refs/heads'}/${job.ref}`;
  const namespacePath = job.projectPath.slice(0, job.projectPath.lastIndexOf('/'));
  const instance = t.issuer.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  const claims: Record<string, unknown> = {
    namespace_id: job.namespaceId,
    namespace_path: namespacePath,
    project_id: job.projectId,
    project_path: job.projectPath,
    project_visibility: job.projectVisibility,
    user_id: job.userId,
    user_login: job.userLogin,
    user_email: job.userEmail,
    user_access_level: job.userAccessLevel,
    pipeline_id: job.pipelineId,
    pipeline_source: job.pipelineSource,
    job_id: job.jobId,
    ref: job.ref,
    ref_type: job.refType,
    ref_path: refPath,
    ref_protected: String(job.refProtected),
    runner_id: job.runnerId,
    runner_environment: job.runnerEnvironment,
    sha: job.sha,
    ci_config_ref_uri: `${instance}/${job.projectPath}//.gitlab-ci.yml@${refPath}`,
    ci_config_sha: job.sha,
  };
  if (job.groupsDirect !== undefined) claims.groups_direct = job.groupsDirect;
  if (job.environment !== undefined) {
    claims.environment = job.environment;
    claims.environment_protected = String(job.environmentProtected);
    claims.deployment_tier = job.deploymentTier ?? 'other';
  }
  const components: Readonly<Record<string, string>> = {
    project_path: job.projectPath,
    ref_type: job.refType,
    ref: job.ref,
  };
  const sub = job.subClaimComponents.map((c) => `${c}:${components[c] ?? ''}`).join(':');
  return {
    iss: t.issuer,
    sub,
    aud: typeof t.audience === 'string' ? t.audience : [...t.audience],
    ...claims,
    jti: t.jti,
    iat: t.iat,
    // GitLab's sample payload: valid from five seconds before issue.
    nbf: t.iat - 5,
    exp: t.iat + t.lifetimeSeconds,
  };
}
