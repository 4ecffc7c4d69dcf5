import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{a,b,c}from"./chunk-747RYYJH.js";import"./chunk-77I53S4Y.js";import"./chunk-IMHQQVR6.js";import"./chunk-JQARMGEX.js";export{b as renderHelmChart,c as renderKustomization,a as splitHelmOutput};
