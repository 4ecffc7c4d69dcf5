import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{a as o,b as a}from"./chunk-TCRATLXR.js";import"./chunk-HBXLQRAU.js";import"./chunk-Q3PFVEON.js";import"./chunk-FFGUI6I3.js";import"./chunk-65TR6KYN.js";import"./chunk-GPCORGJD.js";import"./chunk-KUKJRII5.js";import{a as t}from"./chunk-WJSDMCK3.js";import"./chunk-K5ISHO3X.js";import"./chunk-PZURMI2Q.js";import"./chunk-J7VQC7HJ.js";import"./chunk-2NQ2MDI4.js";import"./chunk-LB3BHYZT.js";import"./chunk-BJ6G2PKQ.js";import"./chunk-UCQXIBJH.js";import"./chunk-CLYLXRVU.js";import"./chunk-VZBOKSEQ.js";import"./chunk-I5VJAXW2.js";import"./chunk-4FOVA2OI.js";import"./chunk-HFYGMXTF.js";import"./chunk-3H6GSGDG.js";import"./chunk-OTPES5SN.js";import{g as e}from"./chunk-YKXKKLKT.js";import"./chunk-VDKPUZPH.js";import"./chunk-36DV4O37.js";import"./chunk-7HP65CUS.js";import"./chunk-USGRAB2M.js";import"./chunk-JQARMGEX.js";var s=`Usage: wif gcp --workload-identity-provider NAME [options]

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
