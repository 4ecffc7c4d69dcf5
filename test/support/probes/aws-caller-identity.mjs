// Runs as a user's script would: the AWS SDK's default credential chain, nothing passed in.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

const client = new STSClient({});
try {
  const out = await client.send(new GetCallerIdentityCommand({}));
  process.stdout.write(JSON.stringify({ ok: true, account: out.Account, arn: out.Arn }));
} catch (error) {
  process.stdout.write(JSON.stringify({ ok: false, name: error.name, message: error.message }));
}
