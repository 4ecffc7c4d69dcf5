import * as core from '@actions/core';

/**
 * The runner's masker, once per value: an action entry masks what the inputs reveal before
 * the token request, and the federation and the sink mask the same values again when they get
 * to them (an account ID is also a secret output). A second `::add-mask::` hides nothing more,
 * it only repeats the value's registration in the log.
 */
const registered = new Set<string>();

export function maskOnce(value: string): void {
  if (value === '' || registered.has(value)) return;
  registered.add(value);
  core.setSecret(value);
}
