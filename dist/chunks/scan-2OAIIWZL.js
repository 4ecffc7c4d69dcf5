import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{a as L}from"./chunk-FFGUI6I3.js";import{a as T,b as k,c as A,d as B,e as _,f as z,g as q,h as $,i as x,j as D,k as G,n as N}from"./chunk-OKKKGK2V.js";import"./chunk-YUKTQ3LJ.js";import"./chunk-RNYHAYFT.js";import"./chunk-3LTKTZUE.js";import{c as F}from"./chunk-YKXKKLKT.js";import"./chunk-JQARMGEX.js";import{readFile as Z,writeFile as ee}from"node:fs/promises";import Q from"node:path";var K={critical:"blocker",high:"critical",medium:"major",low:"minor",info:"info"};function U(t){let n=t.findings.filter(e=>e.suppression===null).map(e=>({type:"issue",description:`${e.ruleId}: ${e.message}`,check_name:e.ruleId,fingerprint:e.fingerprint,severity:K[e.severity],categories:["Security"],location:{path:e.file,lines:{begin:e.line}}}));return`${JSON.stringify(n,null,2)}
`}function V(t){let n={version:1,findings:t.findings.map(e=>({ruleId:e.ruleId,invariant:e.invariants,severity:e.severity,message:e.message,file:e.file,line:e.line,column:e.column,object:e.object,fingerprint:e.fingerprint,suppressed:e.suppression!==null,suppression:e.suppression,title:e.title,fix:e.fix})),summary:$(t),notes:t.notes};return`${JSON.stringify(n,null,2)}
`}function g(t){return t.replace(/&/g,"&amp;").replace(/</g,"&lt;").replace(/>/g,"&gt;").replace(/"/g,"&quot;").replace(/'/g,"&apos;").replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g,"")}function X(t){let e=`name="${g(`${t.ruleId} ${t.file}:${t.line}:${t.column}`)}" classname="${g(t.file)}"`;if(t.suppression!==null)return`    <testcase ${e}>
      <skipped message="${g(`suppressed by ${t.suppression.by}: ${t.suppression.reason}`)}"/>
    </testcase>`;let l=`${t.message}
Fix: ${t.fix}
Severity: ${t.severity}; invariants: ${t.invariants.join(", ")||"none"}`;return`    <testcase ${e}>
      <failure type="${t.severity}" message="${g(t.message)}">${g(l)}</failure>
    </testcase>`}function J(t){let n=new Map;for(let r of t.findings){let i=n.get(r.file)??[];i.push(r),n.set(r.file,i)}let e=t.findings.filter(r=>r.suppression===null).length,l=[...n.entries()].map(([r,i])=>{let m=i.filter(u=>u.suppression===null).length;return`  <testsuite name="${g(r)}" tests="${i.length}" failures="${m}" skipped="${i.length-m}" errors="0">
${i.map(X).join(`
`)}
  </testsuite>`});return l.length===0&&l.push(`  <testsuite name="wif scan" tests="1" failures="0" skipped="0" errors="0">
    <testcase name="no findings in ${t.files} files" classname="wif"/>
  </testsuite>`),`<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="wif scan" tests="${Math.max(t.findings.length,1)}" failures="${e}">
${l.join(`
`)}
</testsuites>
`}var a={reset:0,bold:1,dim:2,red:31,green:32,yellow:33,blue:34,magenta:35,cyan:36},M={critical:a.magenta,high:a.red,medium:a.yellow,low:a.blue,info:a.cyan};function O(t,n){return`${t} ${n}${t===1?"":"s"}`}function P(t,n){let e=(s,c)=>n.color?`\x1B[${s}m${c}\x1B[${a.reset}m`:c,l=t.findings.filter(s=>s.suppression===null||n.showSuppressed===!0),p=new Map;for(let s of l){let c=p.get(s.file)??[];c.push(s),p.set(s.file,c)}let r=[];for(let[s,c]of p){r.push(e(a.bold,s));for(let o of c){let y=`${o.line}:${o.column}`.padEnd(8),d=e(M[o.severity],o.severity.padEnd(9)),b=o.object===null?"":` [${o.object.kind} ${o.object.namespace===null?"":`${o.object.namespace}/`}${o.object.name}]`,v=o.suppression===null?"":e(a.dim,` (suppressed by ${o.suppression.by}: ${o.suppression.reason})`);r.push(`  ${y}${d}${e(a.bold,o.ruleId.padEnd(12))} ${o.message}${b}${v}`),o.suppression===null&&r.push(e(a.dim,`          fix: ${o.fix}`))}r.push("")}for(let s of t.notes)r.push(e(a.dim,`note: ${s.file}: ${s.message}`));t.notes.length>0&&r.push("");let i=$(t),m=B.filter(s=>i.bySeverity[s]>0).map(s=>e(M[s],`${i.bySeverity[s]} ${s}`)).join(", "),u=`${O(i.files,"file")}, ${O(i.documents,"document")}`,f=`${i.suppressed} suppressed`;return r.push(i.findings===0?`${e(a.green,"\u2714")} no findings in ${u}; ${f}`:`${e(a.red,"\u2716")} ${O(i.findings,"finding")} (${m}) in ${u}; ${f}`),`${r.join(`
`)}
`}var E=["text","json","sarif","codequality","junit"];function H(t){return E.includes(t)}function I(t,n,e){switch(t){case"text":return P(n,e);case"json":return V(n);case"sarif":return N(n);case"codequality":return U(n);case"junit":return J(n)}}var Y=`Usage: wif scan [PATH|GLOB|-]... [options]

Scans files, directories, globs or standard input (-) for workload-identity violations.
With no PATH, scans the current directory.

Options:
  --format F           text (default), json, sarif, codequality or junit
  --output FILE        write the report to FILE instead of standard output
  --sarif FILE         also write SARIF 2.1.0 to FILE (likewise --json, --codequality, --junit)
  --fail-on LEVEL      ${x.join("|")} (default high): exit 1 when an
                       unsuppressed finding is at least this severe
  --config FILE        configuration (default: .wif.yaml in the current directory, if present)
  --include GLOB       only scan files matching GLOB (repeatable)
  --exclude GLOB       skip files matching GLOB (repeatable)
  --baseline FILE      suppress the findings recorded in FILE
  --write-baseline FILE  record the current findings in FILE
  --show-suppressed    list suppressed findings in the text report
  --helm-chart DIR     render DIR with \`helm template\` and scan the output (needs helm on PATH)
  --values FILE        values file for --helm-chart (repeatable)
  --kustomize DIR      render DIR with \`kustomize build\` and scan the output (needs kustomize)
  --color, --no-color  force colour on or off (default: on for a terminal, off with NO_COLOR)

Exit: 0 clean, 1 findings at or above --fail-on, 2 usage or configuration error.`,te={format:{type:"string"},output:{type:"string"},sarif:{type:"string"},json:{type:"string"},codequality:{type:"string"},junit:{type:"string"},"fail-on":{type:"string"},config:{type:"string"},include:{type:"string",multiple:!0},exclude:{type:"string",multiple:!0},baseline:{type:"string"},"write-baseline":{type:"string"},"show-suppressed":{type:"boolean"},"helm-chart":{type:"string",multiple:!0},values:{type:"string",multiple:!0},kustomize:{type:"string",multiple:!0},color:{type:"boolean"},"no-color":{type:"boolean"},help:{type:"boolean",short:"h"}};function w(t,n="Run `wif scan --help` for its options."){return new F("usage",t,{fix:n})}async function ne(t,n){try{return await Z(t,"utf8")}catch{throw w(`${n} ${t} cannot be read.`,"Check the path and its permissions.")}}function se(t,n){return n["no-color"]===!0?!1:n.color===!0?!0:t.env.NO_COLOR!==void 0&&t.env.NO_COLOR!==""?!1:t.env.FORCE_COLOR!==void 0&&t.env.FORCE_COLOR!=="0"?!0:process.stdout.isTTY}var Ee={name:"scan",summary:"Scan manifests and CI configs for workload-identity violations",usage:Y,async run(t,n){let{values:e,positionals:l}=L("scan",t,te,!0);if(e.help===!0)return n.stdout(`${Y}
`),0;let p=e.format??"text";if(!H(p))throw w(`--format ${p} is not a report format.`,`Use one of ${E.join(", ")}.`);let r=e["fail-on"]??"high";if(!D(r))throw w(`--fail-on ${r} is not a severity.`,`Use one of ${x.join(", ")}.`);if((e.values??[]).length>0&&(e["helm-chart"]??[]).length===0)throw w("--values only applies to --helm-chart.","Add --helm-chart DIR or drop --values.");let i=await _(n.cwd,e.config),m=e.baseline===void 0?void 0:A(await ne(Q.resolve(n.cwd,e.baseline),"Baseline"),e.baseline),u=[],f=e["helm-chart"]??[],s=e.kustomize??[];if(f.length>0||s.length>0){let{renderHelmChart:S,renderKustomization:h}=await import("./render-MEKKB727.js");for(let R of f)u.push(...await S(n.cwd,R,e.values??[],n.env));for(let R of s)u.push(...await h(n.cwd,R,n.env))}let c=u.length>0||f.length>0||s.length>0,o=l.length===0&&!c?["."]:l,y=new Date,d=await q({root:n.cwd,inputs:o,include:e.include??[],exclude:e.exclude??[],config:i,readStdin:n.readStdin,extraSources:u,now:y,...m===void 0?{}:{baseline:m}}),b=se(n,e),v=e["show-suppressed"]===!0,C=I(p,d,{color:e.output===void 0&&b,showSuppressed:v});e.output===void 0?n.stdout(C):await j(n.cwd,e.output,C);let W=[["sarif",e.sarif],["json",e.json],["codequality",e.codequality],["junit",e.junit]];for(let[S,h]of W)h!==void 0&&await j(n.cwd,h,I(S,d,{color:!1}));return e["write-baseline"]!==void 0&&await j(n.cwd,e["write-baseline"],k(T(d.findings,z(y)))),G(d.findings,r)}};async function j(t,n,e){try{await ee(Q.resolve(t,n),e)}catch(l){throw new F("io",`Cannot write ${n}.`,{fix:"Check that its directory exists and is writable.",cause:l})}}export{Ee as command};
