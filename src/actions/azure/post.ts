import * as core from '@actions/core';
import { azLogout } from '../../core/exchange/azure.ts';
import { cleanupFederation } from '../../platforms/github/federate.ts';
import { runAction } from '../../platforms/github/run-action.ts';

runAction(async () => {
  await cleanupFederation();
  // Only accounts this action's main step logged in are cleared, as Azure/login's cleanup does.
  if (
    core.getState('wif-azure-az-login') /* main's AZ_LOGIN_STATE */ === 'true' &&
    (await azLogout(process.env))
  )
    core.info('wif: cleared the Azure CLI accounts (az account clear).');
});
