import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{a}from"./chunk-5JYH47B2.js";import"./chunk-XZ63XPFZ.js";import"./chunk-JQARMGEX.js";export default a();
