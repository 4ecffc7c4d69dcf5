import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
function e(t){let r=t.map(n=>/^arn:[\w-]+:iam::(\d{12}):/.exec(n.trim())?.[1]??"");return[...new Set(r.filter(n=>n!==""))]}export{e as a};
