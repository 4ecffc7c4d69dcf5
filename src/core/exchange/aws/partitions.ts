/**
 * AWS partitions as the SDK for JavaScript knows them (`partitions.json` in
 * @aws-sdk/util-endpoints, the table the STS endpoint rules read): which regions each one holds
 * and its DNS suffix. The STS client resolves its endpoint from the region alone, so wif uses
 * the same table to predict that endpoint (for the proxy decision) and to refuse a region that
 * is not in the role's partition before any request. test/core/exchange/aws-partitions.test.ts
 * checks every row against the SDK's own resolver, so an SDK update that moves one fails there.
 */
export interface AwsPartition {
  readonly id: string;
  readonly dnsSuffix: string;
  readonly regionRegex: RegExp;
}

// Most specific first: `us-gov-west-1` and `us-iso-east-1` also have the commercial shape.
export const awsPartitions: readonly AwsPartition[] = [
  { id: 'aws-us-gov', dnsSuffix: 'amazonaws.com', regionRegex: /^us-gov-\w+-\d+$/ },
  { id: 'aws-iso', dnsSuffix: 'c2s.ic.gov', regionRegex: /^us-iso-\w+-\d+$/ },
  { id: 'aws-iso-b', dnsSuffix: 'sc2s.sgov.gov', regionRegex: /^us-isob-\w+-\d+$/ },
  { id: 'aws-iso-e', dnsSuffix: 'cloud.adc-e.uk', regionRegex: /^eu-isoe-\w+-\d+$/ },
  { id: 'aws-iso-f', dnsSuffix: 'csp.hci.ic.gov', regionRegex: /^us-isof-\w+-\d+$/ },
  { id: 'aws-cn', dnsSuffix: 'amazonaws.com.cn', regionRegex: /^cn-\w+-\d+$/ },
  { id: 'aws-eusc', dnsSuffix: 'amazonaws.eu', regionRegex: /^eusc-(de)-\w+-\d+$/ },
  { id: 'aws', dnsSuffix: 'amazonaws.com', regionRegex: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/ },
];

export const awsPartitionIds: readonly string[] = awsPartitions.map((p) => p.id);

/** The partition a region name belongs to, or undefined for a shape no partition claims yet. */
export function partitionOfRegion(region: string): AwsPartition | undefined {
  return awsPartitions.find((p) => p.regionRegex.test(region));
}

/**
 * The regional STS endpoint the SDK resolves for `region` (no FIPS, no dual-stack). A region no
 * partition claims resolves in the commercial partition, as the SDK's resolver does.
 */
export function defaultStsEndpoint(region: string): URL {
  const suffix = partitionOfRegion(region)?.dnsSuffix ?? 'amazonaws.com';
  return new URL(`https://sts.${region}.${suffix}`);
}
