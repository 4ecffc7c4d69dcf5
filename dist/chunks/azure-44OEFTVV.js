import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{a as n,b as r}from"./chunk-TCRATLXR.js";import"./chunk-HBXLQRAU.js";import"./chunk-Q3PFVEON.js";import"./chunk-FFGUI6I3.js";import"./chunk-65TR6KYN.js";import"./chunk-GPCORGJD.js";import{c as t}from"./chunk-KUKJRII5.js";import"./chunk-WJSDMCK3.js";import"./chunk-K5ISHO3X.js";import"./chunk-PZURMI2Q.js";import"./chunk-J7VQC7HJ.js";import"./chunk-2NQ2MDI4.js";import"./chunk-LB3BHYZT.js";import"./chunk-BJ6G2PKQ.js";import"./chunk-UCQXIBJH.js";import"./chunk-CLYLXRVU.js";import"./chunk-VZBOKSEQ.js";import"./chunk-I5VJAXW2.js";import"./chunk-4FOVA2OI.js";import"./chunk-HFYGMXTF.js";import"./chunk-3H6GSGDG.js";import"./chunk-OTPES5SN.js";import{g as e}from"./chunk-YKXKKLKT.js";import"./chunk-VDKPUZPH.js";import"./chunk-36DV4O37.js";import"./chunk-7HP65CUS.js";import"./chunk-USGRAB2M.js";import"./chunk-JQARMGEX.js";var s=`Usage: wif azure --client-id GUID --tenant-id GUID|DOMAIN [options]

Signs in to Microsoft Entra ID with the pipeline's OIDC token as a federated client assertion,
proves it by obtaining a token, and prints what the Azure SDKs and Terraform read
(AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST,
ARM_CLIENT_ID, ARM_TENANT_ID, ARM_SUBSCRIPTION_ID, ARM_USE_OIDC, ARM_OIDC_TOKEN_FILE_PATH)
for a shell (--format shell, the default), as JSON, or as a 0600 env file whose path is
printed (--format env-file: the form for GitLab jobs). The token file is 0600 in --output-dir.

Options (the same names as the actions/azure inputs):
  --source S                 token source: auto, github, gitlab[:VAR], file:PATH, env:VAR
  --client-id GUID           application (client) ID with the federated credential (required)
  --tenant-id ID             directory (tenant) ID or verified domain (required)
  --subscription-id GUID     subscription for ARM_SUBSCRIPTION_ID / AZURE_SUBSCRIPTION_ID
  --audience A               token audience (default: the cloud's, api://AzureADTokenExchange)
  --environment E            azurecloud (default), azureusgovernment, azurechinacloud
  --authority-host URL       https authority replacing the cloud's (Azure Stack, wif sandbox);
                             default AZURE_AUTHORITY_HOST unless --environment is given
  --access-token-scope S     also print an access token for S (e.g. https://vault.azure.net/.default)
  --az-login                 also run az login --federated-token when az is on PATH (wif
                             never logs it out: run az account clear when done)
  --export-env false         print only outputs (keep this identity out of the environment)
  --overwrite                replace Azure credentials already in the environment
  --refresh                  keep the token file fresh (starts a detached refresher)
  --retry-max-attempts N     --timeout-seconds S   --explain-on-failure FILE
  --format shell|json|env-file  --output-dir DIR (where credential files go)
`,c={name:"azure",summary:"Sign in to Microsoft Entra ID with the pipeline OIDC token",usage:s,async run(a,i){let o=n("azure",a,t,["az-login","overwrite","refresh"]);return await r("azure",o,i),e.ok}};export{c as command};
