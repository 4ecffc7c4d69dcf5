import type { EmulatorDefinition } from './emulator.ts';
import { issuerEmulator } from './oidc/emulator.ts';
import { gcpEmulator } from './gcp/index.ts';
import { awsStsEmulator } from './aws/index.ts';
import { azureEmulator } from './azure/index.ts';

/**
 * Every emulator `wif sandbox` runs, in start order. The issuer comes first: the others verify
 * tokens against its discovery document and JWKS. Add an emulator with one line at the end.
 */
export const emulators: readonly EmulatorDefinition[] = [
  issuerEmulator,
  gcpEmulator,
  awsStsEmulator,
  azureEmulator,
  // One line per emulator above this comment, in start order.
];

export function emulatorNames(): readonly string[] {
  return emulators.map((e) => e.name);
}
