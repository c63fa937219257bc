import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detectLicense, extractLicenseFacts } from '../../../src/engine/facts/licenseFacts.js';

const MIT_BODY = `Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.`;

const BSD_COMMON = `Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this
   list of conditions and the following disclaimer.

2. Redistributions in binary form must reproduce the above copyright notice,
   this list of conditions and the following disclaimer in the documentation
   and/or other materials provided with the distribution.`;

const BSD3_CLAUSE = `
3. Neither the name of the copyright holder nor the names of its
   contributors may be used to endorse or promote products derived from
   this software without specific prior written permission.`;

const APACHE = `
                                 Apache License
                           Version 2.0, January 2004
                        http://www.apache.org/licenses/

   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION`;

const GPL3 = `                    GNU GENERAL PUBLIC LICENSE
                       Version 3, 29 June 2007

 Copyright (C) 2007 Free Software Foundation, Inc. <https://fsf.org/>
 ...
 Public License instead of this License.  But first, please read
<https://www.gnu.org/licenses/why-not-lgpl.html>. If this is what you want to do, use the GNU Lesser General
Public License instead of this License.`;

const LGPL3 = `                   GNU LESSER GENERAL PUBLIC LICENSE
                       Version 3, 29 June 2007

  This version of the GNU Lesser General Public License incorporates
the terms and conditions of version 3 of the GNU General Public
License, supplemented by the additional permissions listed below.`;

describe('detectLicense / extractLicenseFacts', () => {
  it.each([
    ['MIT with title', `MIT License\n\nCopyright (c) 2024 Someone\n\n${MIT_BODY}`, 'MIT', 1, 1],
    ['MIT body only', `Copyright (c) 2024 Someone\n\n${MIT_BODY}`, 'MIT', 3, 1],
    ['Apache-2.0', APACHE, 'Apache-2.0', 2, 34],
    ['BSD-3-Clause body', `Copyright (c) 2021\nAll rights reserved.\n\n${BSD_COMMON}\n${BSD3_CLAUSE}`, 'BSD-3-Clause', 4, 1],
    ['BSD-2-Clause body', `Copyright (c) 2021\n\n${BSD_COMMON}\n\nTHIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS`, 'BSD-2-Clause', 3, 1],
    ['GPL-3.0 (mentions the LGPL)', GPL3, 'GPL-3.0', 1, 21],
    ['LGPL-3.0', LGPL3, 'LGPL-3.0', 1, 20],
    ['CC-BY-4.0', 'Attribution 4.0 International\n\n=======\n\nCreative Commons Corporation', 'CC-BY-4.0', 1, 1],
    ['CC-BY-SA-4.0', 'Attribution-ShareAlike 4.0 International\n\n=======', 'CC-BY-SA-4.0', 1, 1],
    ['CC-BY-NC-4.0', 'Creative Commons\nAttribution-NonCommercial 4.0 International Public License', 'CC-BY-NC-4.0', 1, 1],
    ['CC0-1.0', 'Creative Commons Legal Code\n\nCC0 1.0 Universal\n\n    CREATIVE COMMONS CORPORATION IS NOT A LAW FIRM', 'CC0-1.0', 3, 1],
    ['Unlicense', 'This is free and unencumbered software released into the public domain.\n\nAnyone is free to copy', 'Unlicense', 1, 1],
    ['Llama 2', 'LLAMA 2 COMMUNITY LICENSE AGREEMENT\nLlama 2 Version Release Date: July 18, 2023', 'llama2', 1, 1],
    ['OpenRAIL-M', 'Copyright (c) 2022 Robin Rombach\n\nCreativeML Open RAIL-M\ndated August 22, 2022', 'creativeml-openrail-m', 3, 1],
  ])('%s', (_name, text, spdx, line, column) => {
    const { facts, warnings } = extractLicenseFacts('LICENSE', text);
    expect(warnings).toEqual([]);
    expect(facts).toHaveLength(1);
    expect(facts[0]).toMatchObject({ rawKey: 'license', path: 'license', value: spdx, form: 'license', source: 'license', line, column, file: 'LICENSE' });
    expect(facts[0].endLine).toBe(line);
  });

  it('picks the licence that comes first in a bundle of notices', () => {
    const text = `MIT License\n\n${MIT_BODY}\n\nThird-party notices:\n${APACHE}`;
    expect(detectLicense(text)?.spdx).toBe('MIT');
  });

  it('gives no fact for unknown text, empty files and a huge single line', () => {
    expect(extractLicenseFacts('LICENSE', 'All rights reserved. Do not copy.').facts).toEqual([]);
    expect(extractLicenseFacts('LICENSE', '').facts).toEqual([]);
    expect(extractLicenseFacts('LICENSE', 'x'.repeat(1_000_000)).facts).toEqual([]);
  });

  it('keeps flags on the fact (a vendored licence)', () => {
    const { facts } = extractLicenseFacts('third_party/x/LICENSE', `MIT License\n${MIT_BODY}`, { flags: ['vendored'] });
    expect(facts[0].flags).toEqual(['vendored']);
  });

  it('property: rewrapping and re-spacing the text does not change the verdict', () => {
    const words = `${BSD_COMMON}\n${BSD3_CLAUSE}`.split(/\s+/).filter((w) => w !== '');
    fc.assert(
      fc.property(fc.array(fc.constantFrom(' ', '\n', '  ', '\n   ', '\t'), { minLength: words.length, maxLength: words.length }), (seps) => {
        const text = words.map((w, i) => `${w}${seps[i]}`).join('');
        expect(detectLicense(text)?.spdx).toBe('BSD-3-Clause');
      }),
      { numRuns: 50 },
    );
  });
});
