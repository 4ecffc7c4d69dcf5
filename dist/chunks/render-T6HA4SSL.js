import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{a,b,c}from"./chunk-VBFILBUI.js";import"./chunk-WQWN4BLC.js";import"./chunk-P22MP5TX.js";import"./chunk-JQARMGEX.js";export{b as renderHelmChart,c as renderKustomization,a as splitHelmOutput};
