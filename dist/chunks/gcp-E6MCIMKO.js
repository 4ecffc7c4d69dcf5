import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{a as o,b as a}from"./chunk-3ROOHN67.js";import"./chunk-22YX6HJT.js";import"./chunk-ZZFYUIWO.js";import"./chunk-LKBCYOEB.js";import"./chunk-HMYYT5YH.js";import"./chunk-P5H3OB6K.js";import"./chunk-EMHNV472.js";import{a as t}from"./chunk-UODCXU6R.js";import"./chunk-RMN2FSDG.js";import"./chunk-PZURMI2Q.js";import"./chunk-7FALU5MI.js";import"./chunk-J7VQC7HJ.js";import"./chunk-4RY7HG4G.js";import"./chunk-F6WJMJWI.js";import"./chunk-JXJSUCZ5.js";import"./chunk-ZAI64ESP.js";import"./chunk-Q6UL24HJ.js";import"./chunk-DJVXY62T.js";import"./chunk-PJ7H5R6B.js";import"./chunk-LM3MLIA2.js";import"./chunk-LNSXGI7Z.js";import"./chunk-2EOGVG4C.js";import{f as e}from"./chunk-P22MP5TX.js";import"./chunk-VDKPUZPH.js";import"./chunk-36DV4O37.js";import"./chunk-7HP65CUS.js";import"./chunk-USGRAB2M.js";import"./chunk-JQARMGEX.js";var s=`Usage: wif gcp --workload-identity-provider NAME [options]

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
  --explain-on-failure FILE          on a refusal, explain it against this trust configuration
  --refresh                          keep the token file fresh (starts a detached refresher)
  --format shell|json|env-file       --output-dir DIR (where credential files go)
`,p={name:"gcp",summary:"Authenticate to Google Cloud with the pipeline OIDC token",usage:s,async run(i,n){let r=o("gcp",i,t,["id-token-include-email","overwrite","refresh"]);return await a("gcp",r,n),e.ok}};export{p as command};
