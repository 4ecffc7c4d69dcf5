import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{d as a}from"./chunk-YWPULBCV.js";import"./chunk-XZ63XPFZ.js";import"./chunk-JQARMGEX.js";export default a();
