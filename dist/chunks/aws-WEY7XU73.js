import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{a as w,b as y}from"./chunk-OD774VGC.js";import{a as k}from"./chunk-CKSHMVZ2.js";import"./chunk-2GS632MF.js";import{a as g}from"./chunk-D5EUYKC4.js";import{a as m,b as u,c as f,d as p,e as h}from"./chunk-OOWDHYKV.js";import"./chunk-M7JXN5A2.js";import{a as d}from"./chunk-R6CY4TKQ.js";import"./chunk-XO2IMUFZ.js";import"./chunk-O4YLZJ7K.js";import"./chunk-INIQNEFD.js";import"./chunk-56VMQC2O.js";import"./chunk-JD5BWZQR.js";import"./chunk-YP2Q4DAP.js";import"./chunk-NIW6PJHB.js";import{b as c,e as l}from"./chunk-IMHQQVR6.js";import"./chunk-7ZAT74XZ.js";import"./chunk-UXLDERFN.js";import"./chunk-JQARMGEX.js";import{readFile as b}from"node:fs/promises";var I=`Usage: wif aws [options]
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
`,N=[...f,"source","format","output-dir","token-file"],O=new Set(["output-credentials","overwrite","mask-aws-account-id","refresh"]);function v(){let o={};for(let e of N)o[e]=O.has(e)?{type:"boolean"}:{type:"string"};return o}function C(o){let e={};for(let r of f){let n=o[r];e[r]=typeof n=="boolean"?String(n):n}return e}var V={name:"aws",summary:"Assume an AWS role with the pipeline OIDC token",usage:I,async run(o,e){let r=m(),n=o[0]==="credential-process",{values:s}=g(n?"aws credential-process":"aws",n?o.slice(1):o,v()),A=new d(C(s),t=>`--${t}`),i=p(A,e.env);if(n){let t=s["token-file"];if(typeof t!="string")throw new c("usage","wif aws credential-process needs --token-file.");let R=(await b(t,"utf8").catch(()=>{throw new c("token-missing",`The token file ${t} cannot be read.`,{fix:"Is the refresher still running? Check the refresh directory."})})).trim(),a=await u(i,R,{sdk:r});return e.stdout(`${JSON.stringify({Version:1,AccessKeyId:a.accessKeyId,SecretAccessKey:a.secretAccessKey,SessionToken:a.sessionToken,Expiration:a.expiration.toISOString()})}
`),l.ok}let S=new d({format:typeof s.format=="string"?s.format:void 0},t=>`--${t}`).oneOf("format",["shell","json","env-file"],"shell");return await y([{name:"aws",audience:i.audience,refresh:i.refresh,run:t=>h("aws",i,t,r)}],{source:typeof s.source=="string"?s.source:"auto",format:S,outputDir:typeof s["output-dir"]=="string"?s["output-dir"]:void 0,timeoutSeconds:k("--timeout-seconds",String(i.timeoutSeconds),{min:5,max:3600})},e,w()),l.ok}};export{V as command};
