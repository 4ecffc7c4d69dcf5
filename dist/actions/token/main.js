import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{a as e,c as t}from"../../chunks/chunk-WI76YJFR.js";import"../../chunks/chunk-BP7CRVEH.js";import"../../chunks/chunk-XZ63XPFZ.js";import"../../chunks/chunk-JQARMGEX.js";e(process.env.INPUT_AUDIENCE||void 0);await t();var{main:n}=await import("../../chunks/run-S464BVFC.js");n();
