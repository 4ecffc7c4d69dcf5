/**
 * Runs one @azure/identity credential in a fresh Node process, configured only through the
 * environment the parent sets (NODE_EXTRA_CA_CERTS is read at process start, so trusting the
 * emulator's CA this way needs a new process). Prints one JSON line: the token or the error.
 *
 * Usage: node sdk-child.ts <workload|default> <scope>
 */
import {
  DefaultAzureCredential,
  WorkloadIdentityCredential,
  type TokenCredential,
} from '@azure/identity';

const [kind, scope = 'https://management.azure.com/.default'] = process.argv.slice(2);

function credentialFor(name: string | undefined): TokenCredential {
  switch (name) {
    // Options as a workload would pass them; tenant, client and token file come from the environment.
    case 'workload':
      return new WorkloadIdentityCredential({ disableInstanceDiscovery: true });
    // Without disableInstanceDiscovery MSAL first asks login.microsoftonline.com whether the
    // authority host is a known cloud; a test must never reach that host.
    case 'default':
      return new DefaultAzureCredential({ disableInstanceDiscovery: true });
    default:
      throw new Error(`unknown credential kind "${name ?? ''}"`);
  }
}

try {
  const token = await credentialFor(kind).getToken(scope);
  console.log(
    JSON.stringify(
      token === null
        ? { ok: false, name: 'NoToken', message: 'getToken returned null' }
        : { ok: true, token: token.token, expiresOnTimestamp: token.expiresOnTimestamp },
    ),
  );
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  console.log(JSON.stringify({ ok: false, name: e.name, message: e.message }));
}
