/** How a file's bytes were turned into text; 'utf-8' is the default and the only one not reported. */
export type TextEncoding = 'utf-8' | 'latin1' | 'utf-16le' | 'utf-16be';

/** How much of the start of a file the binary test looks at. */
export const BINARY_SNIFF_BYTES = 8192;

/** Above this share of control bytes a file is not text, even without a NUL. */
const CONTROL_RATIO = 0.1;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf16le = new TextDecoder('utf-16le');

/**
 * Binary when the sample holds a NUL byte or too many control bytes. Tab, newlines, form feed,
 * backspace and escape are not counted: logs carry tqdm carriage returns and ANSI colours.
 */
export function looksBinary(sample: Uint8Array): boolean {
  const n = Math.min(sample.length, BINARY_SNIFF_BYTES);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const b = sample[i];
    if (b === 0) return true;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x08 && b !== 0x1b) || b === 0x7f) {
      controls++;
    }
  }
  return n > 0 && controls / n > CONTROL_RATIO;
}

/** The UTF-16 flavour announced by a byte-order mark (PowerShell's `>` writes UTF-16LE), if any. */
export function utf16Bom(buf: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return 'utf-16le';
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return 'utf-16be';
  return undefined;
}

/**
 * Text from bytes: UTF-16 when a BOM says so, else UTF-8 (BOM stripped), else Latin-1, which
 * decodes any byte sequence, so non-UTF-8 files never fail and keep one character per byte.
 */
export function decodeText(buf: Buffer): { text: string; encoding: TextEncoding } {
  const bom = utf16Bom(buf);
  if (bom === 'utf-16le') return { text: utf16le.decode(buf.subarray(2)), encoding: bom };
  if (bom === 'utf-16be') {
    // Swap to little-endian rather than rely on the ICU data a big-endian decoder needs.
    const body = Buffer.from(buf.subarray(2, 2 + ((buf.length - 2) & ~1)));
    return { text: utf16le.decode(body.swap16()), encoding: bom };
  }
  try {
    return { text: utf8.decode(buf), encoding: 'utf-8' };
  } catch {
    return { text: buf.toString('latin1'), encoding: 'latin1' };
  }
}
