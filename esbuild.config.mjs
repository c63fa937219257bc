import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { asciiBundlePlugin } from './scripts/asciiBundle.mjs';
import { buildVendorBundles, vendorBundlesPlugin } from './scripts/vendorBundles.mjs';

// Native addons cannot be bundled: ast-grep finds its parser.so relative to its own folder.
const external = ['vscode', '@ast-grep/napi', '@ast-grep/lang-python', 'koffi'];

// `vendored`: the engine's bundles, whose rarely needed libraries load from dist/vendor-*.js.
const entries = [
  { in: 'src/cli/main.ts', out: 'dist/cli.js', vendored: true },
  { in: 'src/worker/main.ts', out: 'dist/worker.js', vendored: true },
  // Loaded by the engine's extraction pool from next to dist/cli.js and dist/worker.js.
  { in: 'src/engine/facts/extractionThread.ts', out: 'dist/extractionThread.js' },
  { in: 'src/extension/extension.ts', out: 'dist/extension.js' },
].filter((e) => existsSync(e.in));

const watch = process.argv.includes('--watch');
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, external, logLevel: watch ? 'info' : 'warning', plugins: [asciiBundlePlugin] };
await Promise.all([
  ...entries.map((e) => build({ ...common, entryPoints: [e.in], outfile: e.out, plugins: [...(e.vendored ? [vendorBundlesPlugin] : []), ...common.plugins] })),
  buildVendorBundles(build, 'dist', common),
]);
