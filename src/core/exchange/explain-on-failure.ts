import { readFile } from 'node:fs/promises';
import { WifError } from '../errors.ts';
import type { Claims } from '../token/claims.ts';

/**
 * After a trust refusal, when the user handed us the trust configuration, prints which
 * condition failed and the likely cause — the answer to "Not authorized to perform
 * sts:AssumeRoleWithWebIdentity" that the services themselves never give.
 */
export async function explainRefusal(
  error: unknown,
  file: string | undefined,
  claims: Claims,
  log: (line: string) => void,
): Promise<void> {
  if (file === undefined || !(error instanceof WifError) || error.code !== 'denied') return;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    log(`explain-on-failure: cannot read ${file}; no explanation.`);
    return;
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
  }
}
