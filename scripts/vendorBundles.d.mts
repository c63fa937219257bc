import type { build as esbuildBuild, BuildOptions, Plugin } from 'esbuild';

export const VENDOR_BUNDLES: Record<string, string>;
export const vendorBundlesPlugin: Plugin;
export function buildVendorBundles(build: typeof esbuildBuild, dir: string, common: BuildOptions): Promise<void>;
