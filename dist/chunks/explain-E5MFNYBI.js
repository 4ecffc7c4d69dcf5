import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{a as T}from"./chunk-FFGUI6I3.js";import{e as v}from"./chunk-IFQXHAIC.js";import{A as w,C as k,D as x,G as C}from"./chunk-AKCGROMS.js";import"./chunk-RNYHAYFT.js";import{k as h}from"./chunk-OTPES5SN.js";import{c as l,d as y,g as f}from"./chunk-YKXKKLKT.js";import"./chunk-JQARMGEX.js";import{readFile as E}from"node:fs/promises";import{isAbsolute as F,resolve as N}from"node:path";var O=`Usage: wif explain (--token-file F | --token-env NAME | --claims F) [options] CONFIG...

Says whether each trust configuration accepts the token, condition by condition, and names the
likely cause of a refusal. The token is decoded, never verified and never printed.

Token (exactly one; F may be - for standard input):
  --token-file F          a file holding the raw OIDC token
  --token-env NAME        an environment variable holding the raw OIDC token
  --claims F              a JSON file of claims (e.g. the "claims" of \`wif token\`)

CONFIG files (JSON, type detected):
  AWS    aws iam get-role --role-name R --output json, or a bare trust policy
  GCP    gcloud iam workload-identity-pools providers describe \u2026 --format json
         (add gcloud iam service-accounts get-iam-policy SA --format json to check the binding)
  Azure  az ad app federated-credential show|list \u2026, az identity federated-credential show|list \u2026
  Vault  vault read -format=json auth/<mount>/role/<role> (and auth/<mount>/config)

Options:
  --type T                force the type of every CONFIG: aws, gcp, azure or vault
  --vault-mount-config F  the JWT mount config (vault read -format=json auth/<mount>/config)
  --vault-leeways M       documented (default) or plugin: how Vault applies its exp/nbf leeways
  --audience A            the STS audience a GCP exchange sends (default: the provider's name)
  --format F              text (default) or json

Exit status: 0 when every configuration accepts the token, 1 when any refuses it, 2 on a
usage error.
`,b=["aws","gcp","azure","vault"],M={name:"explain",summary:"Explain whether a trust configuration accepts a token, and why not",usage:O,async run(t,n){let{values:a,positionals:r}=T("explain",t,{"token-file":{type:"string"},"token-env":{type:"string"},claims:{type:"string"},type:{type:"string"},"vault-mount-config":{type:"string"},"vault-leeways":{type:"string",default:"documented"},audience:{type:"string"},format:{type:"string",default:"text"}},!0),e=a.format;if(e!=="text"&&e!=="json")throw i(`--format must be text or json, not "${e}".`);let o=a.type;if(o!==void 0&&!b.includes(o))throw i(`--type must be one of ${b.join(", ")}, not "${o}".`);let s=a["vault-leeways"];if(s!=="documented"&&s!=="plugin")throw i(`--vault-leeways must be documented or plugin, not "${s}".`);if(r.length===0)throw i("wif explain needs at least one CONFIG file.");let j=await I(a,n),p=[];for(let c of r){let A=await m(c,n);p.push(v(A,c,o))}let d=a["vault-mount-config"],g=d===void 0?void 0:w(await m(d,n),d),u=k(j,p,{now:Math.floor(Date.now()/1e3),vaultBehaviour:s,...g===void 0?{}:{vaultConfig:g},...a.audience===void 0?{}:{requestedAudience:a.audience}});return n.stdout(e==="json"?`${JSON.stringify(C(u),null,2)}
`:x(u)),u.every(c=>c.decision.accepted)?f.ok:f.denied}};async function I(t,n){if(["token-file","token-env","claims"].filter(e=>t[e]!==void 0).length!==1)throw i("wif explain needs exactly one of --token-file, --token-env and --claims.");if(t.claims!==void 0){let e=await m(t.claims,n);if(typeof e!="object"||e===null||Array.isArray(e))throw i(`${t.claims} is not a JSON object of claims.`);let o=e.claims;return typeof o=="object"&&o!==null&&!Array.isArray(o)?o:e}let r;if(t["token-env"]!==void 0){let e=t["token-env"],o=n.env[e];if(o===void 0||o.trim()==="")throw i(`The environment variable ${e} is not set or empty.`);r=o}else r=await S(t["token-file"]??"-",n);try{return h(r).claims}catch(e){throw y(e)?new l("usage",e.message,e.fix===void 0?{}:{fix:e.fix}):e}}async function S(t,n){if(t==="-")return n.readStdin();let a=F(t)?t:N(n.cwd,t);try{return await E(a,"utf8")}catch(r){let e=r.code??"unreadable";throw i(`Cannot read ${t} (${e}).`)}}async function m(t,n){let a=await S(t,n);try{return JSON.parse(a)}catch{throw i(`${t} is not valid JSON.`)}}function i(t){return new l("usage",t,{fix:"Run `wif explain --help` for its options."})}export{M as command};
