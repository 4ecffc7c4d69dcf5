import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{a as m}from"./chunk-E7K3USIY.js";import{a as f,b as u}from"./chunk-HBXLQRAU.js";import"./chunk-Q3PFVEON.js";import{a as s}from"./chunk-FFGUI6I3.js";import{a as c}from"./chunk-76N22LKF.js";import"./chunk-3LTKTZUE.js";import"./chunk-65TR6KYN.js";import"./chunk-GPCORGJD.js";import"./chunk-KUKJRII5.js";import"./chunk-WJSDMCK3.js";import"./chunk-K5ISHO3X.js";import"./chunk-PZURMI2Q.js";import"./chunk-J7VQC7HJ.js";import"./chunk-2NQ2MDI4.js";import"./chunk-LB3BHYZT.js";import"./chunk-BJ6G2PKQ.js";import"./chunk-UCQXIBJH.js";import"./chunk-CLYLXRVU.js";import"./chunk-VZBOKSEQ.js";import"./chunk-I5VJAXW2.js";import"./chunk-4FOVA2OI.js";import"./chunk-HFYGMXTF.js";import"./chunk-3H6GSGDG.js";import"./chunk-OTPES5SN.js";import{c as o,g as i}from"./chunk-YKXKKLKT.js";import"./chunk-VDKPUZPH.js";import"./chunk-36DV4O37.js";import"./chunk-7HP65CUS.js";import"./chunk-USGRAB2M.js";import"./chunk-JQARMGEX.js";import{readFile as p}from"node:fs/promises";var g=`Usage: wif federate --config wif.yaml [--source S] [--format shell|json|env-file] [--output-dir DIR]

Runs every target of a wif.yaml concurrently with one pipeline token, and exports all of the
credentials at once (or none, when any target fails, or two would set the same variable).
Outputs are named per target: WIF_<TARGET>_<OUTPUT> (shell, env-file), <target>-<output>
(json). The same file drives the umbrella GitHub action (\`config:\` input), GitLab jobs and
Tekton steps; its JSON Schema is docs/wif-config.schema.json.

  version: 1
  source: auto                 # or github, gitlab:WIF_ID_TOKEN, file:/var/run/secrets/\u2026/token
  targets:
    prod:
      type: aws
      role-arn: arn:aws:iam::123456789012:role/deploy
      region: eu-west-1
    analytics:
      type: gcp
      workload-identity-provider: projects/123/locations/global/workloadIdentityPools/ci/providers/github
      service-account: deployer@proj.iam.gserviceaccount.com
`,j={name:"federate",summary:"Run every target of a wif.yaml concurrently (AWS, GCP, Azure)",usage:g,async run(l,n){let{values:e}=s("federate",l,{config:{type:"string"},source:{type:"string"},format:{type:"string",default:"shell"},"output-dir":{type:"string"},"timeout-seconds":{type:"string",default:"300"}});if(e.config===void 0)throw new o("usage","wif federate needs --config FILE.",{fix:"Run `wif federate --help` for the file format."});let r=e.config,d=await p(r,"utf8").catch(()=>{throw new o("usage",`Cannot read the config file ${r}.`)}),a=c(d,r,n.env),t=e.format;if(t!=="shell"&&t!=="json"&&t!=="env-file")throw new o("usage",`--format must be shell, json or env-file, not "${t}".`);return await u(a.targets,{source:e.source??a.source??"auto",format:t,outputDir:e["output-dir"],timeoutSeconds:m("--timeout-seconds",e["timeout-seconds"],{min:5,max:3600}),prefixOutputs:!0},n,f()),i.ok}};export{j as command};
