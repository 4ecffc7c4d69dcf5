import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{h as t}from"./chunk-36DV4O37.js";var e=new Set;function o(r){r===""||e.has(r)||(e.add(r),t(r))}export{o as a};
