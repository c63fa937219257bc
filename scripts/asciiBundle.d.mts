import type { Plugin } from 'esbuild';

export function asciiOnly(code: string, file?: string): string;
export const asciiBundlePlugin: Plugin;
