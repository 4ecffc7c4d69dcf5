/**
 * AUD-01: Terraform manages Vault (auth methods, roles, policies, mounts) but no `vault_audit`
 * resource exists anywhere in the scan, so logins and secret reads leave no record (INV-10).
 * Reported once, on the first Terraform file that configures Vault.
 */
import { entriesOf, getAt } from '../document.ts';
import type { DocPath, ScanDocument } from '../document.ts';
import type { ScanContext } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { perScan } from './support/per-scan.ts';

/** The first `vault_*` resource of a Terraform document, by path. */
function firstVaultResource(document: ScanDocument): DocPath | undefined {
  for (const [type, byName] of entriesOf(getAt(document.value, ['resource']))) {
    if (!type.startsWith('vault_')) continue;
    const first = entriesOf(byName)[0];
    if (first !== undefined) return ['resource', type, first[0]];
  }
  return undefined;
}

function hasAuditDevice(document: ScanDocument): boolean {
  return entriesOf(getAt(document.value, ['resource', 'vault_audit'])).length > 0;
}

/** The one document to report on: the first configuring Vault, when no audit device exists. */
function reportedDocument(context: ScanContext): ScanDocument | undefined {
  const terraform = context.byKind('terraform');
  if (terraform.some(hasAuditDevice)) return undefined;
  return terraform.find((candidate) => firstVaultResource(candidate) !== undefined);
}

export const rule = defineRule({
  meta: {
    id: 'AUD-01',
    title: 'Vault configured without an audit device',
    invariants: ['INV-10'],
    severity: 'low',
    appliesTo: ['terraform'],
    message:
      'Vault is configured here but no audit device is, so authentications and reads are not logged.',
    fix: 'Add a `vault_audit` resource (e.g. `type = "file"` or `"socket"`) that ships to your log pipeline.',
    docsAnchor: 'aud-01',
  },
  check(document, context) {
    const path = firstVaultResource(document);
    if (path === undefined) return [];
    if (perScan(context, reportedDocument) !== document) return [];
    return [
      {
        path,
        message:
          'Vault resources are managed here, but no vault_audit resource exists in the scan.',
      },
    ];
  },
});
