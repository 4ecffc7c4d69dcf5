import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{a as r,c as i}from"./chunk-JQARMGEX.js";var o=i((p,e)=>{e.exports=r("node:http")});export{o as a};
