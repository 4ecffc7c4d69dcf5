import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{f as e}from"./chunk-YKXKKLKT.js";import{k as s,m as i}from"./chunk-36DV4O37.js";function n(c){c().then(()=>{process.exit(process.exitCode??0)},o=>{s(e(o)),process.env.RUNNER_DEBUG==="1"&&o instanceof Error&&o.stack&&i(o.stack),process.exit(1)})}export{n as a};
