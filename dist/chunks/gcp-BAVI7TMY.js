import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{a as p,b as f}from"./chunk-OD774VGC.js";import"./chunk-2GS632MF.js";import{a as l}from"./chunk-D5EUYKC4.js";import{a as i,b as u,c as m,d as h}from"./chunk-TVVBCCW2.js";import"./chunk-M7JXN5A2.js";import{a as d}from"./chunk-R6CY4TKQ.js";import"./chunk-XO2IMUFZ.js";import"./chunk-O4YLZJ7K.js";import"./chunk-INIQNEFD.js";import"./chunk-56VMQC2O.js";import"./chunk-JD5BWZQR.js";import"./chunk-YP2Q4DAP.js";import"./chunk-NIW6PJHB.js";import{e as c}from"./chunk-IMHQQVR6.js";import"./chunk-7ZAT74XZ.js";import"./chunk-UXLDERFN.js";import"./chunk-JQARMGEX.js";var k=`Usage: wif gcp --workload-identity-provider NAME [options]

Authenticates to Google Cloud with the pipeline's OIDC token (STS token exchange, optional
service account impersonation), writes an external_account credentials file for Application
Default Credentials and gcloud in a private 0600 directory, and prints the variables for a
shell (--format shell, the default), as JSON, or as a 0600 env file whose path is printed
(--format env-file: the form for GitLab jobs, since GitLab cannot mask run-time values).

Without --refresh the credentials file reads the token minted now, so it works until that
token expires; with --refresh a detached refresher keeps the token file fresh.

Options (the same names as the actions/gcp inputs):
  --source S                         token source: auto, github, gitlab[:VAR], file:PATH, env:VAR
  --workload-identity-provider NAME  projects/N/locations/global/workloadIdentityPools/P/providers/X
  --service-account EMAIL            impersonate this account   --delegates EMAIL,\u2026
  --audience A                       token audience (default https://iam.googleapis.com/NAME)
  --token-format F                   access_token, id_token or none (default none)
  --access-token-lifetime S          1 \u2026 43200 (3600 or 3600s; default 3600)
  --access-token-scopes SCOPE,\u2026      default https://www.googleapis.com/auth/cloud-platform
  --id-token-audience A              --id-token-include-email
  --project-id ID                    exported as GOOGLE_CLOUD_PROJECT and friends
  --create-credentials-file false    --export-env false   --overwrite
  --sts-endpoint URL                 --iamcredentials-endpoint URL   --universe DOMAIN
  --retry-max-attempts N             --timeout-seconds S
  --refresh                          keep the token file fresh (starts a detached refresher)
  --format shell|json|env-file       --output-dir DIR (where credential files go)
`,w=[...i,"source","format","output-dir"],v=new Set(["id-token-include-email","overwrite","refresh"]);function y(){let o={};for(let t of w)o[t]=v.has(t)?{type:"boolean"}:{type:"string"};return o}function A(o){let t={};for(let n of[...i,"format"]){let e=o[n];t[n]=typeof e=="boolean"?String(e):e}return t}var E={name:"gcp",summary:"Authenticate to Google Cloud with the pipeline OIDC token",usage:k,async run(o,t){let n=m(),{values:e}=l("gcp",o,y()),a=new d(A(e),s=>`--${s}`),r=u(a,t.env),g=a.oneOf("format",["shell","json","env-file"],"shell");return await f([{name:"gcp",audience:r.audience,refresh:r.refresh,run:s=>h("gcp",r,s,n)}],{source:typeof e.source=="string"?e.source:"auto",format:g,outputDir:typeof e["output-dir"]=="string"?e["output-dir"]:void 0,timeoutSeconds:r.timeoutSeconds},t,p()),c.ok}};export{E as command};
