import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{a as l,b as p}from"./chunk-OD774VGC.js";import"./chunk-2GS632MF.js";import{a as f}from"./chunk-D5EUYKC4.js";import{a as c}from"./chunk-R6CY4TKQ.js";import{e as i,f as m,g as h}from"./chunk-VBJFFWJY.js";import"./chunk-J7VQC7HJ.js";import"./chunk-NG2YVD27.js";import"./chunk-RNYHAYFT.js";import"./chunk-XO2IMUFZ.js";import"./chunk-O4YLZJ7K.js";import"./chunk-INIQNEFD.js";import"./chunk-56VMQC2O.js";import"./chunk-JD5BWZQR.js";import"./chunk-YP2Q4DAP.js";import"./chunk-NIW6PJHB.js";import{e as d}from"./chunk-IMHQQVR6.js";import"./chunk-7ZAT74XZ.js";import"./chunk-UXLDERFN.js";import"./chunk-JQARMGEX.js";var I=`Usage: wif azure --client-id GUID --tenant-id GUID|DOMAIN [options]

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
  --authority-host URL       https authority replacing the cloud's (Azure Stack, wif sandbox)
  --access-token-scope S     also print an access token for S (e.g. https://vault.azure.net/.default)
  --az-login                 also run az login --federated-token when az is on PATH
  --export-env false         print only outputs (keep this identity out of the environment)
  --overwrite                replace Azure credentials already in the environment
  --refresh                  keep the token file fresh (starts a detached refresher)
  --retry-max-attempts N     --timeout-seconds S   --explain-on-failure FILE
  --format shell|json|env-file  --output-dir DIR (where credential files go)
`,A=[...i,"source","format","output-dir"],D=new Set(["az-login","overwrite","refresh"]);function R(){let o={};for(let n of A)o[n]=D.has(n)?{type:"boolean"}:{type:"string"};return o}var y={name:"azure",summary:"Sign in to Microsoft Entra ID with the pipeline OIDC token",usage:I,async run(o,n){let{values:t}=f("azure",o,R()),s={};for(let e of[...i,"format"]){let a=t[e];s[e]=typeof a=="boolean"?String(a):a}let u=new c(s,e=>`--${e}`),r=m(u),g=u.oneOf("format",["shell","json","env-file"],"shell");return await p([{name:"azure",audience:r.audience,refresh:r.refresh,run:e=>h("azure",r,e)}],{source:typeof t.source=="string"?t.source:"auto",format:g,outputDir:typeof t["output-dir"]=="string"?t["output-dir"]:void 0,timeoutSeconds:r.timeoutSeconds},n,l()),d.ok}};export{y as command};
