import { ACTION_INPUTS, CLI_FLAGS, type FrontDoor } from '../../src/core/exchange/options.ts';

/** Each front door, and how a fix must tell a user of it to set explain-on-failure. */
export const EXPLAIN_ON_FAILURE_BY_DOOR: readonly (readonly [FrontDoor, string])[] = [
  [CLI_FLAGS, '--explain-on-failure FILE'],
  [ACTION_INPUTS, 'explain-on-failure: FILE'],
  [
    { kind: 'file', file: 'wif.yaml', target: 'prod' },
    'explain-on-failure: FILE (in targets.prod)',
  ],
];
