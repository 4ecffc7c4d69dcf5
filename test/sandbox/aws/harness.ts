import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { FaultInjector } from '../../../src/sandbox/faults.ts';
import { startIssuer, type IssuerHandle } from '../../../src/sandbox/oidc/issuer.ts';
import { startAwsSts, type RunningAwsSts } from '../../../src/sandbox/aws/index.ts';

/**
 * The sandbox issuer plus the STS emulator, as `wif sandbox` wires them, with a clock the test
 * can move forward (session expiry) and the emulator's fault knobs at hand.
 */
export interface StsHarness {
  readonly issuer: IssuerHandle;
  readonly sts: RunningAwsSts;
  readonly faults: FaultInjector;
  readonly endpoint: string;
  readonly logs: string[];
  /** Moves the emulator's clock (not the SDK's) by this many seconds. */
  advanceClock(seconds: number): void;
  resetClock(): void;
  /** An STS client pointed at the emulator; no retries' jitter is hidden, attempts are visible. */
  client(config?: Partial<STSClientConfig>): STSClient;
  close(): Promise<void>;
}

export async function startStsHarness(
  config?: (issuerUrl: string) => unknown,
): Promise<StsHarness> {
  const issuer = await startIssuer();
  const faults = new FaultInjector('aws-sts');
  const stateDir = await mkdtemp(join(tmpdir(), 'wif-aws-sts-'));
  const logs: string[] = [];
  let offsetMs = 0;
  const sts = await startAwsSts(
    {
      host: '127.0.0.1',
      port: 0,
      config: config?.(issuer.url),
      issuerUrl: issuer.url,
      stateDir,
      log: (line) => logs.push(line),
      faults,
    },
    { now: () => new Date(Date.now() + offsetMs) },
  );
  const endpoint = sts.env['AWS_ENDPOINT_URL_STS'] ?? '';
  const clients: STSClient[] = [];
  return {
    issuer,
    sts,
    faults,
    endpoint,
    logs,
    advanceClock: (seconds) => {
      offsetMs += seconds * 1000;
    },
    resetClock: () => {
      offsetMs = 0;
    },
    client: (extra = {}) => {
      const client = new STSClient({ region: 'us-east-1', endpoint, ...extra });
      clients.push(client);
      return client;
    },
    close: async () => {
      for (const client of clients) client.destroy();
      await sts.close();
      await issuer.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

export const deployRole = 'arn:aws:iam::111122223333:role/wif-sandbox-deploy';
export const readonlyRole = 'arn:aws:iam::111122223333:role/wif-sandbox-readonly';
