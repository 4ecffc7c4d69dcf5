/**
 * An AWS role trust policy as the sandbox's GitHub tokens meet it: the issuer at `host` may
 * assume the role for octo-org/octo-repo's main branch, with the STS audience.
 */
export function mainBranchTrustPolicy(host: string): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${host}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${host}:aud`]: 'sts.amazonaws.com',
            [`${host}:sub`]: 'repo:octo-org/octo-repo:ref:refs/heads/main',
          },
        },
      },
    ],
  };
}
