// Runs as a user's script would: @azure/identity configured only by the environment the action
// exported (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST).
// WIF_PROBE_CREDENTIAL picks the credential: "default" (DefaultAzureCredential) or "workload".
import { DefaultAzureCredential, WorkloadIdentityCredential } from '@azure/identity';

const kind = process.env.WIF_PROBE_CREDENTIAL ?? 'default';
const scope = 'https://management.azure.com/.default';
// The one setting beyond the environment: disableInstanceDiscovery. The sandbox authority is not
// a cloud MSAL knows, so without it MSAL first asks login.microsoftonline.com about the host
// (measured here: 5.6 s until that call gave up, then the token came anyway); a test must not
// reach that host. Against the real Entra (a known authority) a job passes no options at all.
const options = { disableInstanceDiscovery: true };
const credential =
  kind === 'workload'
    ? new WorkloadIdentityCredential(options)
    : new DefaultAzureCredential(options);
try {
  const token = await credential.getToken(scope);
  process.stdout.write(
    JSON.stringify({ ok: true, token: token.token, expiresOnTimestamp: token.expiresOnTimestamp }),
  );
} catch (error) {
  process.stdout.write(JSON.stringify({ ok: false, name: error.name, message: error.message }));
}
