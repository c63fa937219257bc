import type { CardBlock, CardDocument, FrontMatterField } from './cardDocument.js';
import type { Claim, ClaimValue } from './claim.js';
import type { ClaimKind, Range } from '../model.js';
import { splitSentences } from './sentences.js';
import { findAtoms, type Atom } from './claimAtoms.js';
import { sourceColumn, sourceEndColumn } from './sourceColumn.js';
import { parseCardNumber, toBaseUnit } from '../verify/numbers.js';
import { keyTakesUnit } from '../verify/keyVocabulary.js';
import { namedTerms } from '../verify/decideNames.js';
import { countsInstancesOf, keysAroundValue, keysInText, kindOfKey } from '../verify/keyMatch.js';

/**
 * A sentence, list item, table row or front-matter field, with the claims found in it.
 * The verifier decides each atom; the reporter then merges neighbouring atoms with the same
 * verdict back into one claim so a uniform sentence reads as one finding.
 */
export interface ClaimUnit {
  id: string;
  text: string;
  range: Range;
  headings: string[];
  /** No atoms: the sentence is checked by what it mentions, and can only be supported. */
  atoms: Claim[];
  notCheckable: boolean;
  /** Table rows: each atom's display text when atoms are reported apart. */
  source: 'prose' | 'table' | 'frontMatter';
}

/** Sections that describe use and governance rather than the code. */
const NOT_CHECKABLE_HEADING = /intended|limitation|ethic|bias|contact|citation|cite|acknowledg|author|how to use|usage|disclaimer|out[- ]of[- ]scope|risk|recommendation|governance|feedback|glossary|more information/i;

/** Marker a user puts on a card line so its claims are not checked (the extension's quick fix writes it). */
export const IGNORE_MARKER = /<!--\s*cardcheck[- ]ignore\s*-->|\[\/\/\]: # \(cardcheck-ignore\)/i;

export function extractClaimUnits(doc: CardDocument): ClaimUnit[] {
  return extractPlacedClaimUnits(doc).units;
}

/**
 * Where a unit comes from, enough to extract it alone (claimUnitAt): its block (-1: the front
 * matter), its sentence in the block (for front matter, its place among the fields' units), and
 * how many unit ids came before it.
 */
export type ClaimUnitPlace = [block: number, sentence: number, idsBefore: number];

/** extractClaimUnits, with each unit's place. */
export function extractPlacedClaimUnits(doc: CardDocument): { units: ClaimUnit[]; places: ClaimUnitPlace[] } {
  const units: ClaimUnit[] = [];
  const places: ClaimUnitPlace[] = [];
  let n = 0;
  const nextId = () => `c${++n}`;
  const ignored = (line: number) => IGNORE_MARKER.test(doc.lines[line - 1] ?? '');

  frontMatterUnits(doc.frontMatter ?? [], nextId).forEach((unit, i) => {
    if (ignored(unit.range.start.line)) return;
    units.push(unit);
    places.push([-1, i, 0]);
  });

  doc.blocks.forEach((block, b) => {
    if (block.kind === 'heading' || block.kind === 'code') return;
    if (ignored(block.line)) return;
    const sectionNotCheckable = isNotCheckable(doc, block);
    if (block.kind === 'tableRow' && block.cells && block.cells.length >= 2) {
      const before = n;
      const unit = tableUnit(doc, block, nextId, sectionNotCheckable);
      if (unit) {
        units.push(unit);
        places.push([b, 0, before]);
      }
      return;
    }
    splitSentences(block.text).forEach((sentence, k) => {
      const unit = sentenceUnit(doc, block, sentence, n, sectionNotCheckable);
      if (!unit) return;
      units.push(unit);
      places.push([b, k, n]);
      n++;
    });
  });
  return { units, places };
}

/** The unit extractPlacedClaimUnits found at `place` (undefined if the card has none there: another card). */
export function claimUnitAt(doc: CardDocument, [b, k, before]: ClaimUnitPlace): ClaimUnit | undefined {
  if (b === -1) {
    let n = 0;
    return frontMatterUnits(doc.frontMatter ?? [], () => `c${++n}`)[k];
  }
  const block = doc.blocks[b];
  if (!block) return undefined;
  if (block.kind === 'tableRow' && block.cells && block.cells.length >= 2) {
    let n = before;
    return tableUnit(doc, block, () => `c${++n}`, isNotCheckable(doc, block));
  }
  const sentence = splitSentences(block.text)[k];
  return sentence && sentenceUnit(doc, block, sentence, before, isNotCheckable(doc, block));
}

/**
 * Under a heading about use or governance. The document's title names its subject, not a
 * section's purpose: "Model Validation Report: Retail Credit-Risk Models" holds checkable
 * sections (a section directly under it, with no heading of its own, still goes by it).
 */
function isNotCheckable(doc: CardDocument, block: CardBlock): boolean {
  const title = titleOf(doc);
  const own = block.headings.length > 1 && block.headings[0] === title ? block.headings.slice(1) : block.headings;
  return own.some((h) => NOT_CHECKABLE_HEADING.test(h));
}

/** The document's first heading, once per document: every block asks. */
const TITLES = new WeakMap<CardDocument, string | null>();

function titleOf(doc: CardDocument): string | undefined {
  let title = TITLES.get(doc);
  if (title === undefined) {
    title = doc.blocks.find((b) => b.headings.length > 0)?.headings[0] ?? null;
    TITLES.set(doc, title);
  }
  return title ?? undefined;
}

/** A prose sentence's unit, the `n + 1`th; undefined for a sentence with neither claims nor words. */
function sentenceUnit(doc: CardDocument, block: CardBlock, sentence: { text: string; start: number }, n: number, sectionNotCheckable: boolean): ClaimUnit | undefined {
  const range = blockRange(doc, block, sentence.start, sentence.start + sentence.text.length);
  const qualifier = labelQualifier(sentence.text);
  const found = findAtoms(sentence.text);
  const atoms: Claim[] = found.map((a, i) => ({ ...atomClaim(doc, block, sentence.start, sentence.text, a, `${n + 1}.${i + 1}`), rowQualifier: qualifier }));
  // "Encoder: ResNet-50, initialised with ImageNet weights": a clause after the last value that
  // names something is a claim of its own when the workspace confirms it (else it is left out).
  const tail = trailingClause(sentence.text, found);
  if (tail) {
    const clause = sentence.text.slice(tail[0], tail[1]);
    atoms.push({
      id: `${n + 1}.${found.length + 1}`, text: clause, kind: 'other', range: blockRange(doc, block, sentence.start + tail[0], sentence.start + tail[1]),
      context: clause, keyText: '', keys: [], value: { type: 'mention' }, headings: block.headings, span: tail, optional: true,
    });
  }
  if (atoms.length === 0 && !/[A-Za-z]{3,}/.test(sentence.text)) return undefined;
  return {
    id: `c${n + 1}`, text: sentence.text, range, headings: block.headings, atoms,
    notCheckable: sectionNotCheckable && atoms.length === 0, source: 'prose',
  };
}

/** The clause after a sentence's last value, when it names something ("…, initialised with ImageNet weights."). */
function trailingClause(text: string, atoms: Atom[]): [number, number] | undefined {
  if (atoms.length === 0) return undefined;
  const last = Math.max(...atoms.map((a) => a.end));
  const brk = /^[^,;]*?[,;]\s*(?:and\s+|but\s+)?/.exec(text.slice(last));
  if (!brk) return undefined;
  const start = last + brk[0].length;
  const end = text.replace(/[\s.;:]+$/, '').length;
  const clause = text.slice(start, end);
  if (end - start < 8 || /\d/.test(clause) || namedTerms(clause).length === 0) return undefined;
  return [start, end];
}

function labelQualifier(text: string): string | undefined {
  const m = /^([^:]{2,60}):\s/.exec(text);
  if (!m) return undefined;
  const label = m[1].trim();
  return namedTerms(label).length > 0 && keysInText(label, 'card').length === 0 && !/_/.test(label) ? label : undefined;
}

function blockRange(doc: CardDocument, block: CardBlock, start: number, end: number): Range {
  const line = doc.lines[block.line - 1];
  return {
    start: { line: block.line, column: sourceColumn(block, start, line) },
    end: { line: block.line, column: sourceEndColumn(block, end, line) },
  };
}

/** A percentage is no size or count of a model's parts: "accuracy on the cat class is 81.2%" states no class count. */
function keyTakesValue(key: string, value: ClaimValue): boolean {
  return !(value.type === 'number' && value.number.percent && kindOfKey(key) === 'architecture');
}

/** "cosine decay to 1e-6": where a learning rate decays to is its minimum, not the rate. */
function decayTarget(keys: string[], before: string, context: string): string[] {
  if (!DECAYS_TO.test(before)) return keys;
  // "decays with a cosine schedule to 1e-6": the schedule's words stand between the rate and its value.
  if (!keys.includes('learning_rate') && !(keys.length === 0 && LEARNING_RATE_WORDS.test(context))) return keys;
  return ['min_learning_rate', ...keys.filter((k) => k !== 'learning_rate' && k !== 'min_learning_rate')];
}

const LEARNING_RATE_WORDS = /\b(?:learning[- ]rate|lr)\b/i;

const POSITION_BEFORE = /\b(?:epoch|step|iteration|iter|layer|fold|round|block|checkpoint)\s*#?\s*$/i;
const COUNTED_BY_POSITION = new Set(['epochs', 'max_steps', 'num_layers', 'n_splits', 'n_estimators', 'warmup']);

const DECAYS_TO = /\b(?:decay(?:s|ed|ing)?|anneal(?:s|ed|ing)?|drops?|dropping|falls?|falling)\b[^,;.]{0,40}?\bto\s*(?:a\s+)?(?:(?:minimum|floor|final value)\s+of\s*)?$/i;

function atomClaim(doc: CardDocument, block: CardBlock, base: number, sentence: string, atom: Atom, id: string): Claim {
  const found = atom.keyBefore !== undefined ? keysAroundValue('', atom.keyBefore, atom.keyAfter ?? '') : keysInText(atom.keyText, 'card');
  // "80GB" is a memory size whatever the words around it name ("GPUs were ... 80GB").
  const unit = atom.value.type === 'number' ? toBaseUnit(atom.value.number).unit : undefined;
  // "differs from the observed rate by at most 1.5 points": the number is the difference.
  const byDifference = /\b(differ|deviat|gap|off)\w*\b/i.test(sentence) && /\bby\s+(?:(?:at most|at least|up to|about|roughly|only|less than|more than|no more than)\s+)?$/i.test(sentence.slice(0, atom.valueStart ?? atom.start));
  // A training precision is asked of the settings that choose one (the metric "precision" shares their name).
  let keys: string[] = atom.value.type === 'name' && atom.value.precision ? ['numeric_precision', 'precision']
    : (byDifference ? ['difference', ...found.filter((k) => k !== 'difference')] : found).filter((k) => keyTakesUnit(k, unit) && keyTakesValue(k, atom.value) && !countsInstancesOf(k, atom.keyAfter ?? ''));
  keys = decayTarget(keys, sentence.slice(0, atom.valueStart ?? atom.start), sentence);
  // "peaked in epoch 34", "(step 2000)": a singular noun before the number names a position, not a count.
  if (POSITION_BEFORE.test(atom.keyBefore ?? '')) keys = keys.filter((k) => !COUNTED_BY_POSITION.has(k));
  return {
    id,
    text: sentence.slice(atom.start, atom.end),
    kind: atom.kind ?? kindForValue(atom.value, keys),
    range: blockRange(doc, block, base + atom.start, base + atom.end),
    context: sentence,
    keyText: atom.keyText,
    keys,
    value: atom.value,
    headings: block.headings,
    span: [atom.start, atom.end],
    factor: atom.factor,
  };
}

export function kindForValue(value: ClaimValue, keys: string[]): ClaimKind {
  if (keys.length > 0) return kindOfKey(keys[0]);
  switch (value.type) {
    case 'version': return 'dependency';
    case 'license': return 'license';
    case 'identifiers': return 'procedure';
    case 'inequality': return 'metric';
    case 'range': return 'other';
    default: return 'other';
  }
}

const SPLIT_WORDS = /^(train|training|test|testing|val|valid|validation|dev|eval|evaluation|overall|all|mean|average|avg|final|total|holdout|oot|out[- ]of[- ]time)( set| split)?$/i;

const GENERIC_HEADER = /^(value|values|setting|settings|hyperparameter|hyperparameters|parameter|parameters|name|item|field|detail|details|description|)$/i;
/** A column naming each row's quantity, beside the row label: the value's key words. */
const NAME_HEADER = /^(metric|metrics|measure|statistic|quantity|parameter|hyperparameter|setting)$/i;

/** The step and epoch cells of a series row, which place it in the run's log. */
function seriesPosition(header: string[], cells: string[]): Claim['seriesAt'] | undefined {
  const at = (re: RegExp): number | undefined => {
    const j = header.findIndex((h) => re.test(h.trim()));
    const n = j >= 0 ? parseCardNumber((cells[j] ?? '').trim()) : undefined;
    return n && !n.percent ? n.value : undefined;
  };
  const step = at(/^(?:global\s+)?steps?$/i);
  const epoch = at(/^epochs?$/i);
  return step === undefined && epoch === undefined ? undefined : { ...(step !== undefined ? { step } : {}), ...(epoch !== undefined ? { epoch } : {}) };
}

function tableUnit(doc: CardDocument, block: CardBlock, nextId: () => string, sectionNotCheckable: boolean): ClaimUnit | undefined {
  const cells = block.cells ?? [];
  const header = block.header ?? [];
  const cols = block.cellColumns ?? [];
  const line = doc.lines[block.line - 1] ?? block.text;
  const rowLabel = cells[0] ?? '';
  // Rows keyed by a number or "No log" are a training log (loss per epoch), not final values.
  const series = /^\s*(no log|[-+]?\d[\d.,eE+-]*)\s*$/i.test(rowLabel);
  // In a table comparing several things (one row per model or data set), a row's values are about
  // its label; a split name ("test") is no such qualifier.
  const rowQualifier = cells.length >= 3 && !series && !SPLIT_WORDS.test(rowLabel.trim()) ? rowLabel.trim() : undefined;
  const seriesAt = series ? seriesPosition(header, cells) : undefined;
  const unitId = nextId();
  const atoms: Claim[] = [];
  // A long table names each row's quantity in a column of its own ("| Stage 1 | AUC | 0.64 |").
  const nameColumn = header.findIndex((h, i) => i > 0 && NAME_HEADER.test(h.trim()));
  const quantity = nameColumn > 0 ? (cells[nameColumn] ?? '').trim() : '';
  for (let j = 1; j < cells.length; j++) {
    const cell = cells[j];
    if (j === nameColumn || !cell || /^[-–—]*$/.test(cell.trim())) continue;
    const colHeader = header[j] ?? '';
    const tableKey = `${quantity} ${GENERIC_HEADER.test(colHeader.trim()) ? rowLabel : `${colHeader} ${rowLabel}`}`.trim();
    const cellCol = cols[j] ?? 1;
    const found = findAtoms(cell, tableKey);
    const keys = keysInText(tableKey, 'card');
    const display = GENERIC_HEADER.test(colHeader.trim()) ? `${rowLabel}: ${cell}` : `${colHeader} (${rowLabel}): ${cell}`;
    if (found.length === 0) {
      // A named setting ("Optimizer | AdamW (torch)") is checked by what it mentions.
      atoms.push({
        id: `${unitId}.${j}`, text: display, kind: keys.length > 0 ? kindOfKey(keys[0]) : 'other',
        range: { start: { line: block.line, column: cellCol }, end: { line: block.line, column: cellCol + cell.length } },
        context: `${rowLabel} ${cell}`, keyText: tableKey, keys, value: { type: 'mention' }, headings: block.headings,
      });
      continue;
    }
    for (const a of found) {
      atoms.push({
        id: `${unitId}.${j}.${atoms.length + 1}`, text: display, kind: a.kind ?? kindForValue(a.value, keys),
        range: { start: { line: block.line, column: cellCol + a.start }, end: { line: block.line, column: cellCol + a.end } },
        context: `${rowLabel} ${colHeader} ${cell}`, keyText: a.keyText,
        keys: decayTarget([...new Set([...keys, ...(a.keyBefore !== undefined ? keysAroundValue('', a.keyBefore, a.keyAfter ?? '') : [])])].filter((k) => keyTakesValue(k, a.value)), cell.slice(0, a.valueStart ?? a.start), `${tableKey} ${cell}`),
        value: a.value, headings: block.headings, series, ...(seriesAt ? { seriesAt } : {}), rowQualifier,
      });
    }
  }
  if (atoms.length === 0) return undefined;
  const first = line.search(/\S/);
  return {
    id: unitId, text: line.trim(), headings: block.headings, atoms, notCheckable: sectionNotCheckable && atoms.every((a) => a.value.type === 'mention'),
    range: { start: { line: block.line, column: first + 1 }, end: { line: block.line, column: line.trimEnd().length + 1 } },
    source: 'table',
  };
}

/** Front-matter fields that state facts about the code: license, datasets, base model, model-index results. */
function frontMatterUnits(fields: FrontMatterField[], nextId: () => string): ClaimUnit[] {
  const units: ClaimUnit[] = [];
  const byPath = new Map(fields.map((f) => [f.path, f]));
  for (const f of fields) {
    const text = f.lineText.trim().replace(/^-\s+/, '');
    const col = f.lineText.indexOf(text) + 1;
    const range: Range = { start: { line: f.line, column: col }, end: { line: f.line, column: col + text.length } };
    let value: ClaimValue | undefined;
    let keyText = f.path;
    let kind: ClaimKind = 'other';
    if (f.path === 'license') { value = { type: 'license', license: String(f.value) }; kind = 'license'; }
    else if (/^datasets(\.\d+)?$/.test(f.path) || f.path === 'base_model' || /^base_model\.\d+$/.test(f.path)) {
      value = { type: 'name', name: String(f.value) }; kind = f.path.startsWith('datasets') ? 'data' : 'architecture';
    } else if (/^model-index\.\d+\.results\.\d+\.metrics\.\d+\.value$/.test(f.path)) {
      const num = parseCardNumber(String(f.value));
      if (!num) continue;
      const base = f.path.replace(/\.value$/, '');
      const type = byPath.get(`${base}.type`)?.value ?? '';
      const name = byPath.get(`${base}.name`)?.value ?? '';
      const resultBase = f.path.replace(/\.metrics\.\d+\.value$/, '');
      const split = byPath.get(`${resultBase}.dataset.split`)?.value ?? '';
      keyText = `${String(type)} ${String(name)}`;
      value = { type: 'number', number: num };
      kind = 'metric';
      const keys = keysInText(keyText, 'card');
      const claim: Claim = { id: '', text, kind, range, context: `${keyText} ${String(split)}`, keyText, keys, value, headings: ['front matter'] };
      const id = nextId();
      units.push({ id, text, range, headings: ['front matter'], atoms: [{ ...claim, id: `${id}.1` }], notCheckable: false, source: 'frontMatter' });
      continue;
    }
    if (!value) continue;
    const id = nextId();
    units.push({
      id, text, range, headings: ['front matter'], notCheckable: false, source: 'frontMatter',
      atoms: [{ id: `${id}.1`, text, kind, range, context: text, keyText, keys: [], value, headings: ['front matter'] }],
    });
  }
  return units;
}
