import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{a as u,b as h}from"./chunk-TCRATLXR.js";import"./chunk-HBXLQRAU.js";import"./chunk-Q3PFVEON.js";import"./chunk-FFGUI6I3.js";import"./chunk-65TR6KYN.js";import{a as d,b as f,c as p,d as m}from"./chunk-GPCORGJD.js";import"./chunk-KUKJRII5.js";import"./chunk-WJSDMCK3.js";import"./chunk-K5ISHO3X.js";import"./chunk-PZURMI2Q.js";import"./chunk-J7VQC7HJ.js";import"./chunk-2NQ2MDI4.js";import"./chunk-LB3BHYZT.js";import"./chunk-BJ6G2PKQ.js";import"./chunk-UCQXIBJH.js";import"./chunk-CLYLXRVU.js";import"./chunk-VZBOKSEQ.js";import{b as l,e as c}from"./chunk-I5VJAXW2.js";import"./chunk-4FOVA2OI.js";import"./chunk-HFYGMXTF.js";import"./chunk-3H6GSGDG.js";import"./chunk-OTPES5SN.js";import{c as i,g as a}from"./chunk-YKXKKLKT.js";import"./chunk-VDKPUZPH.js";import"./chunk-36DV4O37.js";import"./chunk-7HP65CUS.js";import"./chunk-USGRAB2M.js";import"./chunk-JQARMGEX.js";import{readFile as g}from"node:fs/promises";var A=`Usage: wif aws [options]
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
  --output-credentials          also print the session as outputs (aws-access-key-id, \u2026)
  --mask-aws-account-id         treat the account ID as secret (masked, kept out of logs)
  --explain-on-failure FILE     on a refusal, explain it against this trust policy
  --refresh                     keep a token file fresh (starts a detached refresher)
  --format shell|json|env-file  --output-dir DIR (where credential files go)
`,O={name:"aws",summary:"Assume an AWS role with the pipeline OIDC token",usage:A,async run(t,o){let e=t[0]==="credential-process",n=u(e?"aws credential-process":"aws",e?t.slice(1):t,p,["output-credentials","overwrite","mask-aws-account-id","refresh"],e?["token-file"]:[]);if(!e)return await h("aws",n,o),a.ok;let w=m(new c(n.options,l),o.env),r=n.extra["token-file"];if(r===void 0)throw new i("usage","wif aws credential-process needs --token-file.");let k=(await g(r,"utf8").catch(()=>{throw new i("token-missing",`The token file ${r} cannot be read.`,{fix:"Is the refresher still running? Check the refresh directory."})})).trim(),s=await f(w,k,{sdk:d()});return o.stdout(`${JSON.stringify({Version:1,AccessKeyId:s.accessKeyId,SecretAccessKey:s.secretAccessKey,SessionToken:s.sessionToken,Expiration:s.expiration.toISOString()})}
`),a.ok}};export{O as command};
