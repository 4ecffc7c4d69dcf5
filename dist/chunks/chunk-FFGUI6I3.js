import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{c as e}from"./chunk-YKXKKLKT.js";import{parseArgs as a}from"node:util";function f(s,t,o,n=!1){try{return a({args:[...t],options:o,allowPositionals:n,strict:!0})}catch(r){let i=r instanceof Error?r.message.split(`
`)[0]??r.message:String(r);throw new e("usage",`wif ${s}: ${i.replace(/\.$/,"")}.`,{fix:`Run \`wif ${s} --help\` for its options.`})}}export{f as a};
