import { STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import {
  awsPartitions,
  defaultStsEndpoint,
  partitionOfRegion,
} from '../../../src/core/exchange/aws/partitions.ts';

/** One region of each documented partition (https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html). */
const regions: Record<string, string> = {
  aws: 'eu-west-1',
  'aws-cn': 'cn-northwest-1',
  'aws-us-gov': 'us-gov-east-1',
  'aws-iso': 'us-iso-west-1',
  'aws-iso-b': 'us-isob-east-1',
  'aws-iso-e': 'eu-isoe-west-1',
  'aws-iso-f': 'us-isof-east-1',
  'aws-eusc': 'eusc-de-east-1',
};

/** The endpoint @aws-sdk/client-sts itself resolves for a region (its endpoint rule set). */
function sdkEndpoint(region: string): string {
  const client = new STSClient({ region });
  const endpoint = client.config.endpointProvider({
    Region: region,
    UseDualStack: false,
    UseFIPS: false,
    UseGlobalEndpoint: false,
  });
  client.destroy();
  return endpoint.url.href;
}

describe('the AWS partition table', () => {
  it('covers every documented partition', () => {
    expect(awsPartitions.map((p) => p.id).sort()).toEqual(Object.keys(regions).sort());
  });

  it.each(Object.entries(regions))(
    '%s: %s is in it, and its STS endpoint is the one the SDK resolves',
    (id, region) => {
      expect(partitionOfRegion(region)?.id).toBe(id);
      expect(defaultStsEndpoint(region).href).toBe(sdkEndpoint(region));
    },
  );

  it('names sts.<region>.amazonaws.com.cn for China', () => {
    expect(defaultStsEndpoint('cn-north-1').host).toBe('sts.cn-north-1.amazonaws.com.cn');
  });

  it('resolves a region no partition claims yet in the commercial one, as the SDK does', () => {
    expect(partitionOfRegion('xy-newplace-1')).toBeUndefined();
    expect(defaultStsEndpoint('xy-newplace-1').href).toBe(sdkEndpoint('xy-newplace-1'));
  });
});
