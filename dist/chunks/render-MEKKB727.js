import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{a,b,c}from"./chunk-7WB3FZCH.js";import"./chunk-YUKTQ3LJ.js";import"./chunk-YKXKKLKT.js";import"./chunk-JQARMGEX.js";export{b as renderHelmChart,c as renderKustomization,a as splitHelmOutput};
