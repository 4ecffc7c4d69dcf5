import { cleanupFederation } from '../../platforms/github/federate.ts';
import { runAction } from '../../platforms/github/run-action.ts';

// Also clears the Azure CLI's accounts when main attempted az-login (federate.ts records it).
runAction(cleanupFederation);
