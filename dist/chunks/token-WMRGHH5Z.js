import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{a as d}from"./chunk-E7K3USIY.js";import{a,b as c}from"./chunk-Q3PFVEON.js";import{a as n}from"./chunk-FFGUI6I3.js";import{a as s}from"./chunk-4FOVA2OI.js";import"./chunk-HFYGMXTF.js";import"./chunk-3H6GSGDG.js";import"./chunk-OTPES5SN.js";import{g as r}from"./chunk-YKXKKLKT.js";import"./chunk-VDKPUZPH.js";import"./chunk-36DV4O37.js";import"./chunk-7HP65CUS.js";import"./chunk-USGRAB2M.js";import"./chunk-JQARMGEX.js";var f=`Usage: wif token [options]

Fetches the pipeline's OIDC token and prints its header, claims and pre-flight verdict as JSON.
The raw token is printed only with --raw.

Options:
  --source S        auto (default), github, gitlab[:VARIABLE], file:PATH, env:VARIABLE
  --audience A      the audience to request (GitHub) or to expect (other sources)
  --issuer URL      an issuer to expect; repeatable
  --timeout S       overall time limit in seconds (default 30)
  --raw             also print the raw token (it is a credential: keep it out of logs)

Exit status: 0 when the pre-flight checks pass; 1 when one fails or there is no token to
check (no id-token permission, variable or file; not a JWT), which only a change of
configuration fixes; 2 on a usage error; 3 when fetching failed (network, deadline).
`,b={name:"token",summary:"Fetch the pipeline OIDC token and print its claims and pre-flight verdict",usage:f,async run(u,o){let{values:t}=n("token",u,{source:{type:"string",default:"auto"},audience:{type:"string"},issuer:{type:"string",multiple:!0},timeout:{type:"string",default:"30"},raw:{type:"boolean",default:!1}}),m=a(t.source,o.env),p=d("--timeout",t.timeout,{min:1,max:600}),e=await s(c(m,o.env,{workflowCommands:"stderr"}),{audience:t.audience,expectedIssuers:t.issuer,deadlineMs:p*1e3,enforcePreflight:!1}),l={source:e.source.description,header:e.header,claims:e.claims,verdict:e.verdict,...t.raw?{token:e.token}:{}};o.stdout(`${JSON.stringify(l,null,2)}
`);let i=e.verdict.problems[0];return i!==void 0?(o.stderr(`wif: ${i.message} ${i.fix}
`),r.denied):r.ok}};export{b as command};
