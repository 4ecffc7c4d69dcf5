import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{fileURLToPath as o}from"node:url";function n(r){return[process.execPath,o(new URL("../../cli.js",r))]}export{n as a};
