import { readdirSync, existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { build as esbuild } from 'esbuild';
import type { BuildOptions, Plugin, PluginBuild } from 'esbuild';
import { WORKER_SOURCES } from '../src/core/workers/locate.ts';

/**
 * @actions/http-client imports undici at load time only for ProxyAgent, which it constructs
 * (synchronously) only when a proxy is configured. Bundled with it, undici (~400 KB) is
 * compiled by every action at start-up, about 20 ms before the first request. The import is
 * replaced by a class that hands over to undici, and undici moves to a chunk of its own behind
 * a loader that src/platforms/github/proxy-support.ts calls, when a proxy is set, before
 * anything that can reach a ProxyAgent (an Octokit client). A ProxyAgent built without it
 * fails with that instruction rather than silently going around the proxy.
 */
const lazyUndici: Plugin = {
  name: 'lazy-undici',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, (args) =>
      /@actions[\\/]http-client/.test(args.importer)
        ? { path: 'undici', namespace: 'lazy-undici' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-undici' }, () => ({
      resolveDir: build.initialOptions.absWorkingDir ?? process.cwd(),
      loader: 'js',
      contents: [
        'let undici;',
        'globalThis[Symbol.for("wif.loadUndici")] = async () => {',
        // undici is CommonJS; its import() chunk has named exports (cjs-dynamic-import below).
        '  undici ??= await import("undici");',
        '};',
        'export class ProxyAgent {',
        '  constructor(...args) {',
        '    if (undici === undefined) {',
        '      throw new Error("wif: undici is not loaded; call loadProxySupport() (src/platforms/github/proxy-support.ts) before creating a client that may use a proxy");',
        '    }',
        '    return new undici.ProxyAgent(...args);',
        '  }',
        '}',
      ].join('\n'),
    }));
  },
};

/**
 * The module an import() reaches in place of a CommonJS one: `default` is module.exports, as
 * Node gives it, and `names` are named exports beside it, where a split bundle's chunk would
 * otherwise export `default` alone.
 */
function namedExportsShim(specifier: string, names: readonly string[]): string {
  const identifiers = names.filter((key) => /^[A-Za-z_$][\w$]*$/.test(key) && key !== 'default');
  return [
    `const m = require(${JSON.stringify(specifier)});`,
    'export default m;',
    identifiers.length === 0 ? '' : `export const { ${identifiers.join(', ')} } = m;`,
  ].join('\n');
}

/**
 * `import … from "node:http"` in an ESM bundle makes Node build that module's ESM facade, which
 * reads every export, including the lazy WebSocket/MessageEvent getters that evaluate Node's
 * built-in undici: 70–120 ms before the first request, and again in every worker thread.
 * `require` reads nothing eagerly, so node:http is taken through the bundle's require.
 */
const httpByRequire: Plugin = {
  name: 'http-by-require',
  setup(build) {
    build.onResolve({ filter: /^(node:)?http$/ }, (args) =>
      args.namespace.startsWith('http-by-require')
        ? undefined
        : {
            path: 'node:http',
            // import() is resolved through a chunk of its own, whose namespace would hold only
            // `default` for a CommonJS shim; dependencies destructure it (smithy's IMDS lookup).
            namespace:
              args.kind === 'dynamic-import' ? 'http-by-require-import' : 'http-by-require',
          },
    );
    build.onLoad({ filter: /.*/, namespace: 'http-by-require' }, () => ({
      loader: 'js',
      contents: 'module.exports = require("node:http");',
    }));
    build.onLoad({ filter: /.*/, namespace: 'http-by-require-import' }, () => {
      // Named exports for the module object's plain data properties only. Its getters
      // (WebSocket, CloseEvent, MessageEvent, globalAgent, maxHeaderSize) stay behind
      // `default`: reading WebSocket compiles Node's built-in undici, ~25 ms at start. The
      // module object, not `import * as`: a namespace shows every export as a data property.
      const names = Object.entries(Object.getOwnPropertyDescriptors(http))
        .filter(([, descriptor]) => 'value' in descriptor)
        .map(([key]) => key);
      return { loader: 'js', contents: namedExportsShim('node:http', names) };
    });
  },
};

/**
 * Node gives `import()` of a CommonJS package the package's named exports beside `default`;
 * a split bundle puts the package in a chunk of its own whose only export is `default`. So
 * `(await import('https-proxy-agent')).HttpsProxyAgent`, in our AWS exchange and in gaxios
 * (google-auth-library's transport), was undefined in dist/ and every exchange behind a proxy
 * failed. Each import() of a CommonJS package goes through a module whose named exports are
 * the package's own, read at build time by loading it as Node would.
 */
const CJS_IMPORT = 'cjs-dynamic-import';

async function isCommonJs(file: string): Promise<boolean> {
  // esbuild's own verdict, from the file's syntax, as the bundle will treat it: it names a
  // format only for ESM syntax here, and treats everything else as CommonJS.
  const probe = await esbuild({
    entryPoints: [file],
    absWorkingDir: dirname(file),
    bundle: true,
    external: ['*'],
    write: false,
    metafile: true,
    logLevel: 'silent',
    platform: 'node',
  });
  return probe.metafile.inputs[basename(file)]?.format !== 'esm';
}

function root(build: PluginBuild): string {
  return build.initialOptions.absWorkingDir ?? process.cwd();
}

const cjsDynamicImports: Plugin = {
  name: CJS_IMPORT,
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData === CJS_IMPORT) return undefined;
      if (args.path.startsWith('node:')) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: CJS_IMPORT,
      });
      if (resolved.errors.length > 0 || resolved.external || resolved.namespace !== 'file') {
        return undefined;
      }
      if (!(await isCommonJs(resolved.path))) return undefined;
      // Relative to the project: an absolute path would make dist/ depend on the checkout's place.
      return { path: relative(root(build), resolved.path), namespace: CJS_IMPORT };
    });
    build.onLoad({ filter: /.*/, namespace: CJS_IMPORT }, (args) => {
      const file = join(root(build), args.path);
      let exported: unknown;
      try {
        exported = createRequire(file)(file);
      } catch (error) {
        throw new Error(
          `${file} is reached with import(); loading it to read its exports failed: ${String(error)}`,
          { cause: error },
        );
      }
      const names =
        typeof exported === 'object' || typeof exported === 'function'
          ? Object.keys(exported ?? {})
          : [];
      return {
        loader: 'js',
        resolveDir: dirname(file),
        contents: namedExportsShim(`./${basename(file)}`, names),
      };
    });
  },
};

/**
 * @cdktf/hcl2json reads its WASM from `__dirname/../main.wasm.gz`, which does not exist in an
 * ESM bundle run from a checkout without node_modules (how GitHub runs actions). The WASM is
 * embedded instead, in the chunk that only the scanner loads.
 */
const hcl2jsonWasm: Plugin = {
  name: 'hcl2json-wasm',
  setup(build) {
    build.onLoad({ filter: /@cdktf[\\/]hcl2json[\\/]lib[\\/]bridge\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const original = 'await fs.readFile((0, path_1.join)(__dirname, "..", "main.wasm.gz"))';
      if (!source.includes(original)) {
        throw new Error(
          '@cdktf/hcl2json changed how it loads its WASM; update scripts/build-config.ts',
        );
      }
      const embedded = '((m) => m.default ?? m)(require("@cdktf/hcl2json/main.wasm.gz"))';
      return { contents: source.replace(original, embedded), loader: 'js' };
    });
  },
};

/**
 * The one bundle layout: every action entry (src/actions/<name>/{main,post}.ts) and the CLI
 * (src/cli/main.ts) are ESM entry points of a single split build, so shared code and each SDK
 * exist once under dist/chunks and are loaded only by the entries that import them.
 */
export function entryPoints(root: string): Record<string, string> {
  const entries: Record<string, string> = { cli: join(root, 'src/cli/main.ts') };
  const actionsDir = join(root, 'src/actions');
  for (const name of readdirSync(actionsDir).sort()) {
    for (const step of ['main', 'post']) {
      const file = join(actionsDir, name, `${step}.ts`);
      if (existsSync(file)) entries[`actions/${name}/${step}`] = file;
    }
  }
  // Worker threads get entries of their own (see src/core/workers/locate.ts).
  for (const [name, source] of Object.entries(WORKER_SOURCES)) {
    entries[`workers/${name}`] = join(root, source);
  }
  return entries;
}

export function buildOptions(root: string, outdir: string): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: entryPoints(root),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    // Prefer the ESM builds the SDKs ship: named exports survive dynamic import() and tree-shake.
    mainFields: ['module', 'main'],
    target: 'node24',
    minify: true,
    legalComments: 'none',
    chunkNames: 'chunks/[name]-[hash]',
    // CommonJS dependencies call require(); ESM output needs one.
    banner: {
      js: 'import{createRequire as __wifRequire}from"node:module";const require=__wifRequire(import.meta.url);',
    },
    loader: { '.gz': 'binary' },
    // Node 24 always has globalThis.performance; the fallback require never runs.
    external: ['performance'],
    plugins: [hcl2jsonWasm, lazyUndici, httpByRequire, cjsDynamicImports],
    logLevel: 'warning',
    metafile: true,
  };
}
