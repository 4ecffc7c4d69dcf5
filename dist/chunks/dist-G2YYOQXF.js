import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{d as a}from"./chunk-DPKKEZQE.js";import"./chunk-USGRAB2M.js";import"./chunk-JQARMGEX.js";export default a();
