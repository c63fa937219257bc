// Libraries only some runs need (the LLM pass: openai and QuickJS; DOCX cards: mammoth), bundled
// on their own next to dist/cli.js and dist/worker.js and loaded on first use. Every CLI run and
// every verification starts a fresh process, and parsing them with the engine cost about 60 ms of
// each start (the engine's bundle halves, 4.6 to 2.2 MB). Used by esbuild.config.mjs, the bench
// and the CLI test harness, so all of them run the layout that ships.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Package name → file name of its bundle, next to the engine's bundle that loads it. */
export const VENDOR_BUNDLES = {
  openai: 'vendor-openai.js',
  'quickjs-emscripten-core': 'vendor-quickjs-core.js',
  '@jitl/quickjs-singlefile-cjs-release-sync': 'vendor-quickjs-variant.js',
  mammoth: 'vendor-mammoth.js',
};

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** esbuild plugin for the engine's bundles: imports of those packages load their bundle instead. */
export const vendorBundlesPlugin = {
  name: 'vendor-bundles',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(VENDOR_BUNDLES).map(escape).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: `./${VENDOR_BUNDLES[args.path]}`, external: true }));
  },
};

/** Builds every vendor bundle into `dir` with esbuild's `build` and the engine's `common` options. */
export async function buildVendorBundles(build, dir, common) {
  await Promise.all(
    Object.entries(VENDOR_BUNDLES).map(([pkg, file]) =>
      build({
        ...common,
        stdin: { contents: `module.exports = require(${JSON.stringify(pkg)});`, resolveDir: REPO, loader: 'js' },
        outfile: path.join(dir, file),
      }),
    ),
  );
}
