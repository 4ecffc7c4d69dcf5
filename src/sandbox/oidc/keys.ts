import { calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

/** The signing algorithms the sandbox issuer offers; GitHub signs with RS256, others with ES256. */
export type SigningAlg = 'RS256' | 'ES256';
export const signingAlgs: readonly SigningAlg[] = ['RS256', 'ES256'];

export interface SigningKey {
  readonly alg: SigningAlg;
  readonly kid: string;
  readonly privateKey: CryptoKey;
  /** The public half as published in the JWKS. */
  readonly jwk: Readonly<JWK>;
}

interface Generation {
  readonly keys: Readonly<Record<SigningAlg, SigningKey>>;
}

/**
 * The issuer's keys: one current key per algorithm, plus the previous generation kept in the
 * JWKS after a rotation so tokens signed just before it still verify. A second rotation drops
 * that previous generation, as a real issuer does once its grace period is over.
 */
export class KeyRing {
  private current: Generation;
  private previous: Generation | undefined;

  private constructor(current: Generation) {
    this.current = current;
  }

  static async create(): Promise<KeyRing> {
    return new KeyRing(await generation());
  }

  /** The key new tokens are signed with. */
  signingKey(alg: SigningAlg): SigningKey {
    return this.current.keys[alg];
  }

  /** Makes a fresh generation current; the old current stays published, the one before goes. */
  async rotate(): Promise<void> {
    const next = await generation();
    this.previous = this.current;
    this.current = next;
  }

  /** The JWKS document: current keys first, then the previous generation. */
  jwks(): { keys: JWK[] } {
    const published = [this.current, ...(this.previous === undefined ? [] : [this.previous])];
    return { keys: published.flatMap((g) => signingAlgs.map((alg) => ({ ...g.keys[alg].jwk }))) };
  }
}

async function generation(): Promise<Generation> {
  const [rs, es] = await Promise.all([signingKey('RS256'), signingKey('ES256')]);
  return { keys: { RS256: rs, ES256: es } };
}

async function signingKey(alg: SigningAlg): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(
    alg,
    alg === 'RS256' ? { modulusLength: 2048 } : {},
  );
  const exported = await exportJWK(publicKey);
  // RFC 7638 thumbprints make stable, collision-free key ids without a counter.
  const kid = await calculateJwkThumbprint(exported);
  const jwk: JWK = { ...exported, kid, alg, use: 'sig' };
  return { alg, kid, privateKey, jwk };
}
