import { readFile } from 'node:fs/promises';
import { WifError } from '../errors.ts';
import type { Claims } from '../token/claims.ts';

/**
 * After a trust refusal, when the user handed us the trust configuration, prints which
 * condition failed and the likely cause — the answer to "Not authorized to perform
 * sts:AssumeRoleWithWebIdentity" that the services themselves never give. Returns the error to
 * report: once explained, its fix points at the explanation rather than asking for the file
 * the user already gave.
 */
export async function explainRefusal(
  error: unknown,
  file: string | undefined,
  claims: Claims,
  log: (line: string) => void,
): Promise<unknown> {
  if (file === undefined || !(error instanceof WifError) || error.code !== 'denied') return error;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    log(`explain-on-failure: cannot read ${file}; no explanation.`);
    return error;
  }
  try {
    // Loaded only on a refusal: the policy engine (and its CEL runtime) stays off the happy path.
    const { detectTrustConfig, explainTrust, renderExplanationText } =
      await import('../policy/index.ts');
    const config = detectTrustConfig(JSON.parse(text) as unknown, file);
    const results = explainTrust(claims, [config], { now: Math.floor(Date.now() / 1000) });
    for (const line of renderExplanationText(results).split('\n'))
      if (line.trim() !== '') log(line);
  } catch (explainError) {
    log(
      `explain-on-failure: ${explainError instanceof WifError ? explainError.oneLine() : String(explainError)}`,
    );
    return error;
  }
  return explained(error, file);
}

/** A refusal whose explanation from `file` has been logged, with a fix that says so. */
export function explained(error: WifError, file: string): WifError {
  return new WifError(error.code, error.message, {
    fix: `The explanation above, from ${file}, shows which condition this token fails and why.`,
    transient: error.transient,
    cause: error,
  });
}
