import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{c as e}from"./chunk-YKXKKLKT.js";function i(o,r,m){let n=Number(r);if(!Number.isInteger(n)||n<m.min||n>m.max)throw new e("usage",`${o} must be a whole number of seconds from ${m.min} to ${m.max}, not "${r}".`);return n}export{i as a};
