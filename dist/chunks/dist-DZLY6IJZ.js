import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{d as o}from"./chunk-E643B37S.js";import"./chunk-USGRAB2M.js";import{b as e}from"./chunk-JQARMGEX.js";var t,n,p,r=e(()=>{t=o(),n=t,{HttpsProxyAgent:p}=t});r();export{p as HttpsProxyAgent,n as default};
