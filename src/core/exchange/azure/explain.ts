import { readFile } from 'node:fs/promises';
import { WifError } from '../../errors.ts';
import { parseAzureCredentials } from '../../policy/azure.ts';
import { explainTrust } from '../../policy/explain.ts';
import { renderExplanationText } from '../../policy/render.ts';
import type { Claims } from '../../token/claims.ts';

/**
 * explain-on-failure: after Entra ID refused the token, evaluate the app's federated
 * credentials (the JSON `az ad app federated-credential list` prints) against the token's
 * claims with the same engine as `wif explain`, and return the trace to print. A file that
 * cannot be read or parsed yields one line saying so (and `explained: false`); it never hides
 * the refusal itself.
 */
export async function explainAzureRefusal(
  path: string,
  claims: Claims,
): Promise<{ readonly explained: boolean; readonly lines: readonly string[] }> {
  try {
    const document: unknown = JSON.parse(await readFile(path, 'utf8'));
    const configs = [
      { kind: 'azure' as const, source: path, credentials: parseAzureCredentials(document, path) },
    ];
    const text = renderExplanationText(
      explainTrust(claims, configs, { now: Math.floor(Date.now() / 1000) }),
    );
    return { explained: true, lines: text.split('\n').filter((line) => line.trim() !== '') };
  } catch (error) {
    const why =
      error instanceof WifError
        ? error.message
        : error instanceof SyntaxError
          ? 'it is not JSON'
          : 'it cannot be read';
    return { explained: false, lines: [`explain-on-failure: ${path} was not evaluated: ${why}`] };
  }
}
