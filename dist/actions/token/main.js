import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);
import{a as e,c as t}from"../../chunks/chunk-7ZAT74XZ.js";import"../../chunks/chunk-UXLDERFN.js";import"../../chunks/chunk-JQARMGEX.js";e(process.env.INPUT_AUDIENCE||void 0);await t();var{main:n}=await import("../../chunks/run-YXY2BIUU.js");n();
