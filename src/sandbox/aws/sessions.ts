import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { RoleArn } from './params.ts';

/**
 * The temporary credentials this emulator has issued, remembered so that SigV4 calls signed
 * with them (GetCallerIdentity, AssumeRole for role chaining) authenticate, and stop
 * authenticating when they expire — as AWS documents for temporary security credentials.
 */
export interface Session {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  readonly role: RoleArn;
  readonly sessionName: string;
  /** `AROA…:<session name>`: the role's unique ID and the session name. */
  readonly assumedRoleId: string;
  /** `arn:<partition>:sts::<account>:assumed-role/<role name>/<session name>`. */
  readonly assumedRoleArn: string;
  /** Whether this session came from AssumeRole with another role session (role chaining). */
  readonly chained: boolean;
  readonly sourceIdentity: string | undefined;
}

export type SessionLookup =
  | { readonly kind: 'valid'; readonly session: Session }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'expired'; readonly session: Session };

/** Upper bound on remembered sessions, so a long-running sandbox cannot grow without limit. */
const maxSessions = 10_000;

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly now: () => Date;

  constructor(now: () => Date) {
    this.now = now;
  }

  issue(options: {
    role: RoleArn;
    sessionName: string;
    durationSeconds: number;
    chained: boolean;
    sourceIdentity: string | undefined;
    /** Pads the opaque session token to at least this many bytes. */
    minimumTokenBytes?: number;
  }): Session {
    this.sweep();
    const issuedAt = this.now();
    // AWS reports Expiration to the second; so does every SDK that parses it.
    const expiration = new Date(
      Math.floor(issuedAt.getTime() / 1000) * 1000 + options.durationSeconds * 1000,
    );
    const session: Session = {
      accessKeyId: `ASIA${base32(16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: sessionToken(options.minimumTokenBytes ?? 0),
      expiration,
      role: options.role,
      sessionName: options.sessionName,
      assumedRoleId: `${roleUniqueId(options.role.arn)}:${options.sessionName}`,
      assumedRoleArn: `arn:${options.role.partition}:sts::${options.role.account}:assumed-role/${options.role.name}/${options.sessionName}`,
      chained: options.chained,
      sourceIdentity: options.sourceIdentity,
    };
    this.sessions.set(session.accessKeyId, session);
    return session;
  }

  lookup(accessKeyId: string): SessionLookup {
    const session = this.sessions.get(accessKeyId);
    if (session === undefined) return { kind: 'unknown' };
    if (session.expiration.getTime() <= this.now().getTime()) return { kind: 'expired', session };
    return { kind: 'valid', session };
  }

  get size(): number {
    return this.sessions.size;
  }

  clear(): void {
    this.sessions.clear();
  }

  /** Drops sessions expired for over an hour (still answering `ExpiredToken` until then), then the oldest beyond the cap. */
  private sweep(): void {
    const cutoff = this.now().getTime() - 3_600_000;
    for (const [key, session] of this.sessions) {
      if (session.expiration.getTime() < cutoff) this.sessions.delete(key);
    }
    // Map iteration is insertion order, so the first keys are the oldest sessions.
    for (const key of this.sessions.keys()) {
      if (this.sessions.size < maxSessions) break;
      this.sessions.delete(key);
    }
  }
}

/** A stable `AROA…` unique ID per role ARN (21 characters, as IAM's role IDs are). */
export function roleUniqueId(roleArn: string): string {
  const digest = createHash('sha256').update(roleArn).digest();
  return `AROA${base32(17, digest)}`;
}

/** An opaque base64 token of 320 characters, or longer when the caller asked for a minimum size. */
function sessionToken(minimumBytes: number): string {
  const length = Math.max(320, Math.ceil(minimumBytes / 4) * 4);
  return randomBytes((length / 4) * 3).toString('base64');
}

const base32Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(length: number, bytes: Buffer = randomBytes(length)): string {
  let out = '';
  for (let i = 0; i < length; i += 1)
    out += base32Alphabet.charAt((bytes[i % bytes.length] ?? 0) % 32);
  return out;
}

export function newRequestId(): string {
  return randomUUID();
}
