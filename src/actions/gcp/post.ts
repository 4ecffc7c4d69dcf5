import { cleanupFederation } from '../../platforms/github/federate.ts';
import { runAction } from '../../platforms/github/run-action.ts';

runAction(cleanupFederation);
