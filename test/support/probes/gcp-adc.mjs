// Runs as a user's script would: Application Default Credentials, nothing passed in but the
// environment (GOOGLE_APPLICATION_CREDENTIALS names the external_account file).
import { GoogleAuth } from 'google-auth-library';

const scopes = [
  'https://www.googleapis.com/auth/cloud-platform',
  'https://www.googleapis.com/auth/userinfo.email',
];
try {
  const auth = new GoogleAuth({ scopes });
  const client = await auth.getClient();
  const token = await auth.getAccessToken();
  process.stdout.write(JSON.stringify({ ok: true, client: client.constructor.name, token }));
} catch (error) {
  process.stdout.write(JSON.stringify({ ok: false, name: error.name, message: error.message }));
}
