/**
 * CLD-12: a tbot configuration that joins with a pre-shared token. Without `ca_pins` the bot
 * trusts whatever cluster answers first; with them, a cloud VM should still use its platform
 * identity (`iam`, `gcp`, `azure`), which needs no secret on disk.
 */
import { arrayAt } from '../document.ts';
import { defineRule } from '../rule.ts';
import { tbotConfig } from './support/teleport.ts';

export const rule = defineRule({
  meta: {
    id: 'CLD-12',
    title: 'tbot joins with a token',
    invariants: ['INV-3'],
    severity: 'medium',
    appliesTo: ['unknown'],
    message: 'tbot joins the cluster with a pre-shared token.',
    fix: 'Use `onboarding.join_method: iam`, `gcp` or `azure` on cloud VMs; where a token is unavoidable, set `ca_pins` to the cluster CA hash.',
    docsAnchor: 'cld-12',
  },
  check(document) {
    const config = tbotConfig(document);
    if (config === undefined) return [];
    const method = config.onboarding['join_method'];
    if (method !== undefined && method !== 'token') return [];
    const pinned = arrayAt(config.onboarding, ['ca_pins']).length > 0;
    const path = method === undefined ? config.path : [...config.path, 'join_method'];
    return [
      pinned
        ? {
            path,
            severity: 'info',
            message:
              'tbot joins with a token (CA pinned); on a cloud VM, join with its platform identity instead.',
          }
        : {
            path,
            message:
              'tbot joins with a pre-shared token and does not pin the cluster CA (`ca_pins`).',
          },
    ];
  },
});
