import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{a as p,b as h}from"./chunk-GS27NDCX.js";import"./chunk-6HYMADVQ.js";import"./chunk-5QOTTM3Z.js";import"./chunk-D5EUYKC4.js";import"./chunk-AGBWDRLC.js";import{a as l,b as c,c as d,d as f}from"./chunk-MRWDMTZN.js";import"./chunk-L72WSZ5Z.js";import"./chunk-JH6AGMDC.js";import"./chunk-W7W7XL62.js";import{a as m}from"./chunk-LOPM7QD4.js";import"./chunk-J7VQC7HJ.js";import"./chunk-KATKQKDS.js";import"./chunk-3EHP37WJ.js";import"./chunk-WZ4GSNKA.js";import"./chunk-S6FPFNFX.js";import"./chunk-SZFD7UX4.js";import"./chunk-7KG2X5Z5.js";import"./chunk-5MO7PQ3V.js";import"./chunk-SLBVSTEF.js";import"./chunk-4ZVEXLUS.js";import"./chunk-NIW6PJHB.js";import{b as i,e as a}from"./chunk-IMHQQVR6.js";import"./chunk-VDKPUZPH.js";import"./chunk-36DV4O37.js";import"./chunk-7HP65CUS.js";import"./chunk-USGRAB2M.js";import"./chunk-JQARMGEX.js";import{readFile as A}from"node:fs/promises";var g=`Usage: wif aws [options]
       wif aws credential-process --role-arn ARN --token-file F --region R [options]

Assumes an AWS IAM role with the pipeline's OIDC token (AssumeRoleWithWebIdentity, optional
role chaining) and prints the session for a shell (--format shell, the default), as JSON, or
as a 0600 env file whose path is printed (--format env-file: the form for GitLab jobs, since
GitLab cannot mask values produced at run time).

\`credential-process\` is the AWS credential_process protocol: it reads a web-identity token
file, assumes the role and prints {"Version":1,\u2026}; refresh mode writes profiles that call it.

Options (the same names as the actions/aws inputs):
  --source S                    token source: auto, github, gitlab[:VAR], file:PATH, env:VAR
  --role-arn ARN                the role to assume (required)
  --region R                    AWS region (default: AWS_REGION)
  --audience A                  token audience (default sts.amazonaws.com)
  --role-session-name N         default derived from the CI run
  --role-duration-seconds S     900 \u2026 43200 (3600 when chaining; default 3600)
  --inline-session-policy JSON  --managed-session-policies ARN,\u2026
  --chain-role-arns ARN,\u2026       --role-external-id ID
  --allowed-account-ids ID,\u2026    --profile NAME   --overwrite   --export-env false
  --sts-endpoint URL            --http-proxy URL --retry-max-attempts N  --timeout-seconds S
  --refresh                     keep a token file fresh (starts a detached refresher)
  --format shell|json|env-file  --output-dir DIR (where credential files go)
`,x={name:"aws",summary:"Assume an AWS role with the pipeline OIDC token",usage:g,async run(t,o){let e=t[0]==="credential-process",r=p(e?"aws credential-process":"aws",e?t.slice(1):t,d,["output-credentials","overwrite","mask-aws-account-id","refresh"],e?["token-file"]:[]);if(!e)return await h("aws",r,o),a.ok;let u=f(new m(r.options,k=>`--${k}`),o.env),n=r.extra["token-file"];if(n===void 0)throw new i("usage","wif aws credential-process needs --token-file.");let w=(await A(n,"utf8").catch(()=>{throw new i("token-missing",`The token file ${n} cannot be read.`,{fix:"Is the refresher still running? Check the refresh directory."})})).trim(),s=await c(u,w,{sdk:l()});return o.stdout(`${JSON.stringify({Version:1,AccessKeyId:s.accessKeyId,SecretAccessKey:s.secretAccessKey,SessionToken:s.sessionToken,Expiration:s.expiration.toISOString()})}
`),a.ok}};export{x as command};
