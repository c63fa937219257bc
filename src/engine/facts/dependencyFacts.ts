import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Pair, Scalar } from 'yaml';
import { nearestPosition, parseIni, parseTomlText, tomlKeyPositions, yamlErrorWarning } from './configFacts.js';
import { FactCollector } from './factCollector.js';
import type { ExtractOptions, FactExtraction } from './factCollector.js';
import { LineIndex } from './lineIndex.js';
import type { LinePosition } from './lineIndex.js';

export const MAX_DEPENDENCY_FACTS = 2000;

/** PEP 503 normalization: lower-case, runs of `-`, `_`, `.` become one `-`. */
export function normalizePackageName(name: string): string {
  return name.trim().replace(/[-_.]+/g, '-').toLowerCase();
}

export interface Requirement {
  /** As written. */
  name: string;
  /** PEP 503 normalized. */
  normalized: string;
  /** The version spec as written without blanks (`==1.3.2`, `>=1.2,<2`), `@ url`, or `*` when unpinned. */
  spec: string;
  /** 0-based offsets into the parsed line. */
  nameStart: number;
  specEnd: number;
}

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/;

/**
 * One requirement line in pip's syntax (`pkg[extra]>=1.2,<2 ; python_version<"3.12"  # why`).
 * Options (`-r`, `-e`, `--index-url`), blank and comment lines give undefined.
 */
export function parseRequirementLine(line: string): Requirement | undefined {
  const commentAt = line.search(/(^|\s)#/);
  const body = commentAt >= 0 ? line.slice(0, commentAt) : line;
  const lead = body.length - body.trimStart().length;
  const text = body.trimStart();
  if (text === '' || text.startsWith('-')) return undefined;
  const m = NAME.exec(text);
  if (!m) return undefined;
  const name = m[0];
  let rest = text.slice(name.length);
  let consumed = name.length;
  const extras = /^\s*\[[^\]]*\]/.exec(rest);
  if (extras) {
    rest = rest.slice(extras[0].length);
    consumed += extras[0].length;
  }
  const semi = rest.indexOf(';');
  // Options after the spec (`--hash=...`) belong to pip, not to the version.
  let specPart = semi >= 0 ? rest.slice(0, semi) : rest;
  const opt = specPart.search(/\s--?[A-Za-z]/);
  if (opt >= 0) specPart = specPart.slice(0, opt);
  let spec = specPart.trim();
  if (spec !== '' && !/^(?:@|\(|===|==|~=|!=|<=|>=|<|>)/.test(spec)) return undefined;
  const specOffsetInRest = specPart.length - specPart.trimStart().length;
  const specEnd = lead + consumed + specOffsetInRest + spec.length;
  if (spec.startsWith('@')) spec = `@ ${spec.slice(1).trim()}`;
  else spec = spec.replace(/^\((.*)\)$/, '$1').replace(/\s+/g, '');
  return { name, normalized: normalizePackageName(name), spec: spec === '' ? '*' : spec, nameStart: lead, specEnd: spec === '*' ? lead + name.length : specEnd };
}

function collectorFor(relPath: string, text: string, options: ExtractOptions | undefined, warnings: string[]): FactCollector {
  return new FactCollector(relPath, new LineIndex(text), 'requirements', options?.flags, warnings, MAX_DEPENDENCY_FACTS);
}

function addRequirement(c: FactCollector, name: string, spec: string, start: LinePosition, end: LinePosition): void {
  const normalized = normalizePackageName(name);
  c.add({ rawKey: normalized, path: `requires.${normalized}`, value: spec, form: 'version', start, end });
}

/** requirements.txt / constraints.txt / *.in: one fact per requirement; line continuations joined. */
export function extractRequirementsFacts(relPath: string, text: string, options?: ExtractOptions): FactExtraction {
  const warnings: string[] = [];
  const c = collectorFor(relPath, text, options, warnings);
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    const first = i;
    // A trailing backslash continues the requirement (usually onto `--hash` lines).
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]}`;
    const r = parseRequirementLine(line);
    if (!r) continue;
    const end = Math.min(r.specEnd, lines[first].length);
    addRequirement(c, r.name, r.spec, { line: first + 1, column: r.nameStart + 1 }, { line: first + 1, column: end + 1 });
  }
  return { facts: c.facts, warnings };
}

/** Line (1-based) and column of a quoted string literal at or after `fromLine`, for array items in TOML. */
function findQuoted(lines: string[], fromLine: number, value: string): LinePosition | undefined {
  for (let i = Math.max(0, fromLine - 1); i < lines.length; i++) {
    for (const q of ['"', "'"]) {
      const at = lines[i].indexOf(`${q}${value}${q}`);
      if (at >= 0) return { line: i + 1, column: at + 2 };
    }
  }
  return undefined;
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Poetry / Pipfile tables: `name = "^1.2"` or `name = { version = "^1.2", extras = [...] }`. */
function addVersionTable(
  c: FactCollector,
  table: unknown,
  path: string[],
  positions: ReturnType<typeof tomlKeyPositions>,
  pythonKey?: string,
): void {
  const t = asRecord(table);
  if (!t) return;
  for (const [name, v] of Object.entries(t)) {
    const inner = asRecord(v);
    const spec = typeof v === 'string' ? v : inner && typeof inner.version === 'string' ? inner.version : '*';
    const p = nearestPosition(positions, [...path, name]);
    addRequirement(c, pythonKey !== undefined && name === pythonKey ? 'python' : name, spec.replace(/\s+/g, '') || '*', p.start, p.end);
  }
}

function addRequirementArray(c: FactCollector, items: unknown, keyPath: string[], positions: ReturnType<typeof tomlKeyPositions>, lines: string[]): void {
  if (!Array.isArray(items)) return;
  const keyPos = nearestPosition(positions, keyPath).start;
  let from = keyPos.line;
  for (const item of items) {
    if (typeof item !== 'string') continue;
    const r = parseRequirementLine(item);
    if (!r) continue;
    const at = findQuoted(lines, from, item) ?? keyPos;
    from = at.line;
    addRequirement(c, r.name, r.spec, at, { line: at.line, column: at.column + item.length });
  }
}

/** pyproject.toml: [project] dependencies, optional-dependencies, requires-python; Poetry tables; PEP 735 groups. */
export function extractPyprojectDependencyFacts(relPath: string, text: string, options?: ExtractOptions): FactExtraction {
  const warnings: string[] = [];
  const data = parseTomlText(relPath, text, warnings);
  if (!data) return { facts: [], warnings };
  const c = collectorFor(relPath, text, options, warnings);
  const positions = tomlKeyPositions(text);
  const lines = text.split('\n');
  const project = asRecord(data.project);
  if (project) {
    if (typeof project['requires-python'] === 'string') {
      const p = nearestPosition(positions, ['project', 'requires-python']);
      addRequirement(c, 'python', project['requires-python'].replace(/\s+/g, ''), p.start, p.end);
    }
    addRequirementArray(c, project.dependencies, ['project', 'dependencies'], positions, lines);
    const optional = asRecord(project['optional-dependencies']);
    for (const [group, items] of Object.entries(optional ?? {})) {
      addRequirementArray(c, items, ['project', 'optional-dependencies', group], positions, lines);
    }
  }
  const groups = asRecord(data['dependency-groups']);
  for (const [group, items] of Object.entries(groups ?? {})) addRequirementArray(c, items, ['dependency-groups', group], positions, lines);
  const poetry = asRecord(asRecord(data.tool)?.poetry);
  if (poetry) {
    addVersionTable(c, poetry.dependencies, ['tool', 'poetry', 'dependencies'], positions);
    addVersionTable(c, poetry['dev-dependencies'], ['tool', 'poetry', 'dev-dependencies'], positions);
    for (const [g, group] of Object.entries(asRecord(poetry.group) ?? {})) {
      addVersionTable(c, asRecord(group)?.dependencies, ['tool', 'poetry', 'group', g, 'dependencies'], positions);
    }
  }
  return { facts: c.facts, warnings };
}

/** Pipfile (TOML): [packages], [dev-packages], [requires] python_version. */
export function extractPipfileFacts(relPath: string, text: string, options?: ExtractOptions): FactExtraction {
  const warnings: string[] = [];
  const data = parseTomlText(relPath, text, warnings);
  if (!data) return { facts: [], warnings };
  const c = collectorFor(relPath, text, options, warnings);
  const positions = tomlKeyPositions(text);
  addVersionTable(c, data.packages, ['packages'], positions);
  addVersionTable(c, data['dev-packages'], ['dev-packages'], positions);
  const requires = asRecord(data.requires);
  for (const key of ['python_version', 'python_full_version']) {
    if (typeof requires?.[key] === 'string') {
      const p = nearestPosition(positions, ['requires', key]);
      addRequirement(c, 'python', requires[key], p.start, p.end);
    }
  }
  return { facts: c.facts, warnings };
}

/**
 * A conda match spec (`numpy=1.26.4`, `conda-forge::numpy=1.26.4=py311h_0`, `numpy 1.26.*`,
 * `numpy>=1.2`). The build string is dropped; a single `=` is kept (`=1.26.4`).
 */
export function parseCondaSpec(text: string): { name: string; spec: string } | undefined {
  const m = /^\s*(?:[\w.\/-]+::)?([A-Za-z0-9_][A-Za-z0-9._-]*)(.*)$/.exec(text);
  if (!m) return undefined;
  const name = m[1];
  let rest = m[2].trim();
  const bracket = /^\[.*version\s*=\s*['"]([^'"]+)['"].*\]$/.exec(rest);
  if (bracket) rest = bracket[1];
  if (rest === '') return { name, spec: '*' };
  if (/^(===|==|~=|!=|<=|>=|<|>)/.test(rest)) return { name, spec: rest.replace(/\s+/g, '') };
  if (rest.startsWith('=')) return { name, spec: `=${rest.slice(1).split('=')[0].trim()}` };
  const version = rest.split(/\s+/)[0];
  return /^[\d*]/.test(version) ? { name, spec: version } : undefined;
}

/** environment.yml: conda dependencies and the nested `- pip:` list. */
export function extractCondaEnvFacts(relPath: string, text: string, options?: ExtractOptions): FactExtraction {
  const warnings: string[] = [];
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    warnings.push(yamlErrorWarning(relPath, 'YAML', err, lineCounter));
    return { facts: [], warnings };
  }
  const c = collectorFor(relPath, text, options, warnings);
  const pos = (o: number): LinePosition => {
    const p = lineCounter.linePos(o);
    return { line: p.line, column: p.col };
  };
  if (!isMap(doc.contents)) return { facts: [], warnings };
  const deps = doc.contents.get('dependencies', true);
  if (!isSeq(deps)) return { facts: [], warnings };
  for (const item of deps.items) {
    if (isScalar(item) && typeof item.value === 'string') {
      const spec = parseCondaSpec(item.value);
      const r = item.range;
      if (spec && r) addRequirement(c, spec.name, spec.spec, pos(r[0]), pos(r[1]));
    } else if (isMap(item)) {
      for (const pair of item.items as Pair[]) {
        if (!isScalar(pair.key) || pair.key.value !== 'pip' || !isSeq(pair.value)) continue;
        for (const p of pair.value.items) {
          const s = p as Scalar;
          if (!isScalar(s) || typeof s.value !== 'string' || !s.range) continue;
          const req = parseRequirementLine(s.value);
          if (req) addRequirement(c, req.name, req.spec, pos(s.range[0]), pos(s.range[1]));
        }
      }
    }
  }
  return { facts: c.facts, warnings };
}

/** setup.cfg: [options] install_requires and [options.extras_require], inline or one per continuation line. */
export function extractSetupCfgDependencyFacts(relPath: string, text: string, options?: ExtractOptions): FactExtraction {
  const warnings: string[] = [];
  const c = collectorFor(relPath, text, options, warnings);
  for (const e of parseIni(text)) {
    const wanted = (e.section === 'options' && (e.key === 'install_requires' || e.key === 'python_requires')) || e.section === 'options.extras_require';
    if (!wanted) continue;
    if (e.key === 'python_requires') {
      if (e.value !== '') addRequirement(c, 'python', e.value.replace(/\s+/g, ''), e.start, e.end);
      continue;
    }
    const items: { text: string; line: number; column: number }[] = [];
    if (e.value !== '') {
      // Inline lists are separated by `;` only in old setuptools; one item per line is the norm.
      items.push({ text: e.value, line: e.start.line, column: e.start.column });
    }
    items.push(...e.continuation);
    for (const item of items) {
      const r = parseRequirementLine(item.text);
      if (!r) continue;
      addRequirement(c, r.name, r.spec, { line: item.line, column: item.column + r.nameStart }, { line: item.line, column: item.column + r.specEnd });
    }
  }
  return { facts: c.facts, warnings };
}
