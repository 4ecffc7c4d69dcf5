import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{a,b,c}from"./chunk-Z3EGQYKD.js";import"./chunk-IDDGNFWC.js";import"./chunk-CCTSMPAG.js";import"./chunk-JQARMGEX.js";export{b as renderHelmChart,c as renderKustomization,a as splitHelmOutput};
