import { randomUUID } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import type { Claims } from '../../core/token/claims.ts';
import {
  githubClaims,
  githubDefaultAudience,
  githubJob,
  readGitHubJobSpec,
  type GitHubJobSpec,
} from './github-claims.ts';
import { gitlabClaims, gitlabJob, readGitLabJobSpec, type GitLabJobSpec } from './gitlab-claims.ts';
import type { KeyRing, SigningAlg } from './keys.ts';
import {
  defaultExpirationSeconds,
  kubernetesClaims,
  kubernetesServiceAccount,
  readKubernetesSpec,
  type KubernetesServiceAccountSpec,
} from './kubernetes-claims.ts';
import { usage } from './spec.ts';

/** Who a token is for: a GitHub job, a GitLab job, or a Kubernetes service account. */
export type TokenProfile =
  | ({ readonly platform: 'github' } & GitHubJobSpec)
  | ({ readonly platform: 'gitlab' } & GitLabJobSpec)
  | ({ readonly platform: 'kubernetes' } & KubernetesServiceAccountSpec);

export type Platform = TokenProfile['platform'];
export const platforms: readonly Platform[] = ['github', 'gitlab', 'kubernetes'];

export interface MintOptions {
  /** GitHub: one audience (default `https://github.com/<owner>`). GitLab: required. Kubernetes: default the issuer. */
  readonly audience?: string | readonly string[];
  /** Default: GitHub 300, GitLab 3600, Kubernetes 3600 (minimum 600, as TokenRequest enforces). */
  readonly lifetimeSeconds?: number;
  /** Default: RS256 (what GitHub uses). */
  readonly alg?: SigningAlg;
  /** Issue time. Default: now. */
  readonly now?: Date;
  /** `iss` override, e.g. `<issuer>/gitlab`; it must be served by this issuer to verify. */
  readonly issuer?: string;
}

/** Reads a profile from control-server JSON: `{ "platform": "gitlab", …job fields }`. */
export function readTokenProfile(value: unknown, where: string): TokenProfile {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw usage(`${where} must be an object with a "platform" field.`);
  }
  const { platform, ...rest } = value as Record<string, unknown>;
  switch (platform) {
    case 'github':
    case undefined:
      return { platform: 'github', ...readGitHubJobSpec(rest, where) };
    case 'gitlab':
      return { platform: 'gitlab', ...readGitLabJobSpec(rest, where) };
    case 'kubernetes':
      return { platform: 'kubernetes', ...readKubernetesSpec(rest, where) };
    default:
      throw usage(`${where}.platform must be one of ${platforms.join(', ')}.`);
  }
}

/** The claim set a profile yields at a given time; also what `mint` signs. */
export function claimsFor(
  profile: TokenProfile,
  issuer: string,
  options: MintOptions = {},
): Claims {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const jti = randomUUID();
  const iss = options.issuer ?? issuer;
  const audience = options.audience;
  switch (profile.platform) {
    case 'github': {
      const { platform: _platform, ...spec } = profile;
      const job = githubJob(spec);
      if (Array.isArray(audience)) {
        throw usage('A GitHub token carries exactly one audience; pass a single string.');
      }
      return githubClaims(job, {
        issuer: iss,
        audience:
          typeof audience === 'string' && audience !== '' ? audience : githubDefaultAudience(job),
        iat,
        lifetimeSeconds: lifetime(options.lifetimeSeconds, 300),
        jti,
      });
    }
    case 'gitlab': {
      const { platform: _platform, ...spec } = profile;
      if (audience === undefined || audience.length === 0) {
        throw usage('A GitLab id_token needs an audience (GitLab has no default `aud`).');
      }
      return gitlabClaims(gitlabJob(spec), {
        issuer: iss,
        audience,
        iat,
        lifetimeSeconds: lifetime(options.lifetimeSeconds, 3600),
        jti,
      });
    }
    case 'kubernetes': {
      const { platform: _platform, ...spec } = profile;
      return kubernetesClaims(kubernetesServiceAccount(spec), {
        issuer: iss,
        audiences:
          audience === undefined ? [] : typeof audience === 'string' ? [audience] : audience,
        iat,
        expirationSeconds: options.lifetimeSeconds ?? defaultExpirationSeconds,
        jti,
      });
    }
  }
}

/** Signs claims as a compact JWS with the ring's current key: header `typ`, `alg`, `kid`. */
export async function signClaims(
  keys: KeyRing,
  claims: Claims,
  alg: SigningAlg = 'RS256',
): Promise<string> {
  const key = keys.signingKey(alg);
  return new SignJWT({ ...claims } as JWTPayload)
    .setProtectedHeader({ alg, typ: 'JWT', kid: key.kid })
    .sign(key.privateKey);
}

function lifetime(requested: number | undefined, fallback: number): number {
  const value = requested ?? fallback;
  if (!Number.isInteger(value) || value <= 0) {
    throw usage(`A token lifetime must be a positive whole number of seconds, got ${value}.`);
  }
  return value;
}
