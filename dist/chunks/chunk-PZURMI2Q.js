import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
function e(r){let t=r.map(n=>/^arn:[\w-]+:iam::(\d{12}):/.exec(n.trim())?.[1]??"");return[...new Set(t.filter(n=>n!==""))]}function a(r){return r.boolean("mask-aws-account-id",!1)?e([r.string("role-arn")??"",...r.list("chain-role-arns")]):[]}export{e as a,a as b};
