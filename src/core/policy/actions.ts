/**
 * The STS actions a web-identity trust policy must allow. Kept apart from the engine (aws.ts) so
 * readers of policies that only need the names, such as the scanner's rules, do not load the
 * engine and the JWT library behind its claim helpers.
 */
export const ASSUME_ACTION = 'sts:AssumeRoleWithWebIdentity';
export const TAG_SESSION_ACTION = 'sts:TagSession';
