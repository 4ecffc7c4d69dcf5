/** The distinct 12-digit accounts that IAM role ARNs name (`arn:<partition>:iam::<account>:role/…`). */
export function accountsOfRoleArns(arns: readonly string[]): string[] {
  const accounts = arns.map((arn) => /^arn:[\w-]+:iam::(\d{12}):/.exec(arn.trim())?.[1] ?? '');
  return [...new Set(accounts.filter((a) => a !== ''))];
}
