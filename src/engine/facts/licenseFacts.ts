import { FactCollector } from './factCollector.js';
import type { ExtractOptions, FactExtraction } from './factCollector.js';
import { LineIndex } from './lineIndex.js';

/**
 * How to recognise a licence text. Phrases are compared after normalization (lower case,
 * punctuation dropped, whitespace collapsed), so line wrapping and quote styles do not matter.
 * A licence matches when all of `all` occur and none of `none`, or when its title regex matches
 * one of the first lines (short files that only name the licence). When several match (a file
 * bundling the project's licence with third-party notices), the one that starts first wins; on a
 * tie, the earlier entry.
 */
interface Fingerprint {
  spdx: string;
  all: string[];
  none?: string[];
  title?: RegExp;
}

export const LICENSE_FINGERPRINTS: readonly Fingerprint[] = [
  // The GPL texts name the LGPL and AGPL in passing, so each GNU licence is known by its own header line.
  { spdx: 'AGPL-3.0', all: ['gnu affero general public license version 3 19 november 2007'], title: /^gnu affero general public license,? version 3/i },
  { spdx: 'LGPL-3.0', all: ['this version of the gnu lesser general public license incorporates'], title: /^gnu lesser general public license,? version 3/i },
  { spdx: 'LGPL-2.1', all: ['gnu lesser general public license version 2 1'], title: /^gnu lesser general public license,? version 2\.1/i },
  { spdx: 'GPL-3.0', all: ['gnu general public license version 3 29 june 2007'], title: /^gnu general public license,? version 3/i },
  { spdx: 'GPL-2.0', all: ['gnu general public license version 2 june 1991'], title: /^gnu general public license,? version 2/i },
  { spdx: 'Apache-2.0', all: ['apache license', 'version 2 0'], title: /^apache license,? version 2\.0/i },
  { spdx: 'MPL-2.0', all: ['mozilla public license', '2 0'], title: /^mozilla public license,? (version |v\. ?)2\.0/i },
  { spdx: 'BSL-1.0', all: ['boost software license version 1 0'] },
  { spdx: 'Unlicense', all: ['this is free and unencumbered software released into the public domain'] },
  { spdx: 'CC0-1.0', all: ['cc0 1 0 universal'], title: /^(creative commons )?cc0 1\.0( universal)?/i },
  { spdx: 'CC-BY-NC-SA-4.0', all: ['attribution noncommercial sharealike 4 0 international'], title: /^(creative commons )?attribution-noncommercial-sharealike 4\.0/i },
  { spdx: 'CC-BY-NC-4.0', all: ['attribution noncommercial 4 0 international'], title: /^(creative commons )?attribution-noncommercial 4\.0/i },
  { spdx: 'CC-BY-SA-4.0', all: ['attribution sharealike 4 0 international'], title: /^(creative commons )?attribution-sharealike 4\.0/i },
  { spdx: 'CC-BY-4.0', all: ['attribution 4 0 international'], title: /^(creative commons )?attribution 4\.0/i },
  { spdx: 'creativeml-openrail-m', all: ['creativeml open rail m'] },
  { spdx: 'bigscience-openrail-m', all: ['bigscience open rail m'] },
  { spdx: 'bigscience-bloom-rail-1.0', all: ['bigscience rail license v1 0'] },
  { spdx: 'openrail', all: ['responsible ai license'], none: ['creativeml', 'bigscience'] },
  { spdx: 'llama3.3', all: ['llama 3 3 community license agreement'] },
  { spdx: 'llama3.2', all: ['llama 3 2 community license agreement'] },
  { spdx: 'llama3.1', all: ['llama 3 1 community license agreement'] },
  { spdx: 'llama3', all: ['meta llama 3 community license agreement'] },
  { spdx: 'llama2', all: ['llama 2 community license agreement'] },
  { spdx: 'gemma', all: ['gemma terms of use'] },
  {
    spdx: 'MIT',
    all: ['permission is hereby granted free of charge to any person obtaining a copy', 'the above copyright notice and this permission notice shall be included'],
    title: /^(the )?mit license( \(mit\))?$/i,
  },
  { spdx: 'ISC', all: ['permission to use copy modify and or distribute this software for any purpose with or without fee is hereby granted'], title: /^isc license/i },
  {
    spdx: 'BSD-3-Clause',
    all: ['redistribution and use in source and binary forms', 'endorse or promote products derived from this software'],
    title: /^bsd 3-clause/i,
  },
  {
    spdx: 'BSD-2-Clause',
    all: ['redistribution and use in source and binary forms', 'redistributions in binary form must reproduce'],
    none: ['endorse or promote products derived from this software'],
    title: /^bsd 2-clause/i,
  },
];

interface NormalizedText {
  text: string;
  /** Offset in the original text of each character of `text`. */
  origin: number[];
}

/** Lower case alphanumerics separated by single spaces, with the original offset of each character kept. */
function normalize(text: string): NormalizedText {
  let out = '';
  const origin: number[] = [];
  let pendingSpace = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (/[A-Za-z0-9]/.test(ch)) {
      if (pendingSpace && out.length > 0) {
        out += ' ';
        origin.push(i);
      }
      pendingSpace = false;
      out += ch.toLowerCase();
      origin.push(i);
    } else pendingSpace = true;
  }
  return { text: out, origin };
}

function normalizePhrase(p: string): string {
  return normalize(p).text;
}

/** Licence texts put their title or first distinguishing phrase early; deciding needs no more. */
const MAX_SCAN = 200_000;
const TITLE_LINES = 5;

export interface LicenseMatch {
  spdx: string;
  /** Offset in the text of the title or the first distinguishing phrase. */
  offset: number;
  length: number;
}

export function detectLicense(text: string): LicenseMatch | undefined {
  const scanned = text.length > MAX_SCAN ? text.slice(0, MAX_SCAN) : text;
  const norm = normalize(scanned);
  const titleLines: { text: string; offset: number }[] = [];
  let offset = 0;
  for (const raw of scanned.split('\n')) {
    const t = raw.trim();
    if (t !== '') titleLines.push({ text: t.replace(/\s+/g, ' '), offset: offset + raw.indexOf(t) });
    offset += raw.length + 1;
    if (titleLines.length >= TITLE_LINES) break;
  }
  let best: LicenseMatch | undefined;
  for (const fp of LICENSE_FINGERPRINTS) {
    const excluded = (fp.none ?? []).some((p) => norm.text.includes(normalizePhrase(p)));
    if (excluded) continue;
    let found: LicenseMatch | undefined;
    // GNU titles put the version on the next line: a title may span two lines.
    const title = fp.title
      ? titleLines.find((l, k) => fp.title?.test(l.text) || (k + 1 < titleLines.length && fp.title?.test(`${l.text} ${titleLines[k + 1].text}`)))
      : undefined;
    if (title) found = { spdx: fp.spdx, offset: title.offset, length: title.text.length };
    else {
      const hits = fp.all.map((p) => norm.text.indexOf(normalizePhrase(p)));
      if (hits.every((h) => h >= 0)) {
        const first = Math.min(...hits);
        const firstPhrase = normalizePhrase(fp.all[hits.indexOf(first)]);
        const start = norm.origin[first];
        const end = norm.origin[first + firstPhrase.length - 1] + 1;
        found = { spdx: fp.spdx, offset: start, length: end - start };
      }
    }
    if (found && (!best || found.offset < best.offset)) best = found;
  }
  return best;
}

/** LICENSE / COPYING: one fact with the SPDX id, located at the title or first distinguishing phrase. */
export function extractLicenseFacts(relPath: string, text: string, options?: ExtractOptions): FactExtraction {
  const warnings: string[] = [];
  const match = detectLicense(text);
  if (!match) return { facts: [], warnings };
  const index = new LineIndex(text);
  const c = new FactCollector(relPath, index, 'license', options?.flags, warnings, 1);
  const start = index.position(match.offset);
  const endPos = index.position(match.offset + match.length);
  // A phrase wrapped over lines ends on a later line; the evidence range stays on the first.
  const end = endPos.line === start.line ? endPos : { line: start.line, column: index.lineText(start.line).length + 1 };
  c.add({ rawKey: 'license', path: 'license', value: match.spdx, form: 'license', start, end });
  return { facts: c.facts, warnings };
}
