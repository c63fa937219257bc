import { factOf, type Fact, type FactValue } from '../facts/fact.js';
import { StringPool } from '../memory/stringPool.js';
import { keysInText, keysOfCodeName } from './keyMatch.js';
import { CALL_SIGNATURES } from './callSignatures.js';
import { compact, contentTokens } from './tokens.js';
import type { FactFilter } from './factRelevance.js';
import { FILE_ORDER } from './evidenceRank.js';
import { identityTokensOf, MIN_IDENTITY_TOKENS } from './identityTokens.js';

/**
 * A fact as the verifier holds it: the extractor's fact plus what matching needs, computed once.
 */
export interface IndexedFact {
  fact: Fact;
  /** Canonical keys its name carries (see keyVocabulary.ts). */
  keys: readonly string[];
  /** Content tokens of its key path, call and file name (distinct): for ranking against a claim's words. */
  tokens: readonly string[];
  /** Content tokens of the fact's source line (distinct), computed once (ranking reads them per claim). */
  snippetTokens: readonly string[];
  /** Precedence when several facts set the same thing; higher wins (see effectiveValue.ts). */
  tier: number;
  /** False for tests, fixtures, vendored code, docs and other text: never deciding. */
  deciding: boolean;
  /** Config file stem (`base` for configs/base.yaml), for "the config the card names". */
  configName?: string;
  /** Rank of its file in collation order among the index's files (set by FactIndex.finish). */
  fileOrder?: number;
  /** Its place in the order facts reached the index: lists gathered from several lookups are put back in it. */
  seq: number;
}

/** Tiers: what actually runs beats what is merely a default. */
export function tierOf(f: Fact): number {
  switch (f.form) {
    case 'flag': return 5;
    case 'result': case 'output': return 4;
    case 'config': return 4;
    case 'keyword': case 'assignment': case 'positional': case 'compare': return 3;
    case 'default': return (f.flags ?? []).includes('signature') ? 1 : 2;
    case 'version': case 'license': return 4;
    default: return 1;
  }
}

const DEMOTING = new Set(['test', 'vendored', 'ignored', 'fixture', 'doc', 'example']);

export function isDeciding(f: Fact): boolean {
  if (f.source === 'text') return false;
  return !(f.flags ?? []).some((x) => DEMOTING.has(x));
}

function lastSegments(path: string, n: number): string {
  const parts = path.split('.').filter((p) => p !== '');
  // Array indices say nothing alone: keep the name they index ("betas.0").
  return parts.slice(-n).join(' ');
}

function fileTokens(file: string): string[] {
  const base = file.split('/').pop() ?? file;
  return contentTokens(base.replace(/\.[a-z0-9]+$/i, ''));
}

const MAX_MEMO = 50_000;

/** Names and the facts that say them, by position (FactIndex.names). */
export interface NameList {
  readonly names: string[];
  readonly facts: IndexedFact[];
}

/** What an index is for (see the FactIndex constructor). */
export type IndexUse = 'decide' | 'lookups' | 'part';

/**
 * What one file added to an index besides its kept facts: enough to rebuild the index without
 * the file's other facts (see cardSnapshot.ts). Kept facts are replayed through the filter again.
 */
export interface FileIndexPart {
  /** Facts the index kept, positional calls already expanded. */
  facts: Fact[];
  /** Their keys and words, in the same order: replaying them skips the word analysis. */
  words?: FactWords[];
  /** Card words the file's dropped facts added to the vocabulary. */
  vocabulary: string[];
  configNames: string[];
  dropped: number;
  /**
   * The fact budget's regime while the file was added (FactFilter.regime): which of its facts the
   * budget let in. MIXED_REGIME when the budget ran out during the file; absent when unknown.
   */
  regime?: number;
  /**
   * How many of its facts the budget refused (they are not in `facts`), and how many facts the
   * budget had admitted when the file was added: a part with refusals can stand in for the file
   * only where the budget would refuse them again (see `canReplay`). Absent: unknown.
   */
  refused?: number;
  admittedBefore?: number;
}

/** FileIndexPart.regime of a file during which the fact budget ran out. */
export const MIXED_REGIME = -1;

/**
 * A fact's keys and words as `addOne` derives them. Filtered to the card's words when the index
 * has a filter, so a part recorded under one filter is only replayed under the same one.
 */
export interface FactWords {
  keys: readonly string[];
  tokens: readonly string[];
  /** Words of its source line (only the card's, under a filter). */
  lineWords: readonly string[];
}

interface Recording {
  start: number;
  refused: number;
  vocabulary: Set<string>;
  configNames: Set<string>;
  dropped: number;
}

export class FactIndex {
  private readonly byKey = new Map<string, IndexedFact[]>();
  private readonly byToken = new Map<string, IndexedFact[]>();
  private readonly entries: IndexedFact[] = [];
  /** Pinned versions and licences: few, looked at as a whole by their claims. */
  private readonly byForm = new Map<ListedForm, IndexedFact[]>();
  /** Facts whose value is, or holds, a year (1900–2100): what year filters are looked for among. */
  private readonly yearList: IndexedFact[] = [];
  /** Deciding facts by the words of their identity (identityTokens.ts), built on first use. */
  private identity: Map<string, IndexedFact[]> | undefined;
  /**
   * Compacted names the code constructs, imports or writes as strings, for names and families:
   * the i-th name is said by the i-th fact. Two lists rather than a pair object per name (69,557
   * on the stdlib, 2.8 MB of objects); repeated names share one string.
   */
  private readonly nameList: NameList = { names: [], facts: [] };
  private readonly nameStrings = new StringPool(MAX_MEMO);
  /** Set while `track` runs: the lookups the code deciding a claim made (see `lookupsOf`). */
  private looked: Set<string> | undefined;

  /** Every kept fact. Deciding code that reads it depends on all of them (LOOKED_AT_ALL). */
  get all(): IndexedFact[] {
    this.looked?.add(LOOKED_AT_ALL);
    return this.entries;
  }

  get names(): NameList {
    this.looked?.add(LOOKED_AT_NAMES);
    return this.nameList;
  }
  /** Every word the workspace uses, to tell whether a card's qualifier exists there at all. */
  readonly vocabulary = new Set<string>();
  readonly configNames = new Set<string>();
  /** Facts the filter left out (see factRelevance.ts). */
  dropped = 0;
  /**
   * With a filter, per card word in the vocabulary: how many of the files added so far said it.
   * A re-run tells from these whether an edit changed the vocabulary (see cardDecisions.ts).
   */
  readonly wordFiles = new Map<string, number>();
  /** The words the file being added says, when counting (see `wordFiles`). */
  private fileWords: Set<string> | undefined;

  /**
   * `filter`: keep only the facts a card can use (bounded memory on large workspaces).
   * `use`: 'decide' for an index claims are decided on. 'lookups' for an index of only the facts
   * some lookups need (DeferredIndex.replayScoped), whose vocabulary and config names it is told
   * (knowWords, knowConfigNames): adding a fact does not count its words. 'part' for an index
   * whose parts (addFile) are only written to a snapshot and dropped. Only 'decide' copies the
   * strings of facts it is given (`owned`): the others' facts do not outlive the run's files.
   */
  constructor(
    private readonly filter?: FactFilter,
    use: IndexUse = 'decide',
  ) {
    this.forLookups = use === 'lookups';
    this.copiesStrings = use === 'decide';
  }

  private readonly forLookups: boolean;
  private readonly copiesStrings: boolean;

  add(fact: Fact): void {
    for (const f of expandPositional(fact)) this.addOne(f);
  }

  private recording: Recording | undefined;

  /** Adds the facts of one file and returns what they added, for a later `replay`. */
  addFile(facts: readonly Fact[]): FileIndexPart {
    const rec: Recording = { start: this.entries.length, refused: 0, vocabulary: new Set(), configNames: new Set(), dropped: 0 };
    const regimeBefore = this.filter?.regime?.() ?? 0;
    const admittedBefore = this.filter?.admitted?.() ?? 0;
    this.recording = rec;
    this.beginFile();
    try {
      for (const f of facts) this.add(f);
    } finally {
      this.recording = undefined;
      this.endFile();
    }
    const regimeAfter = this.filter?.regime?.() ?? 0;
    const kept = this.entries.slice(rec.start);
    return {
      facts: kept.map((e) => e.fact),
      words: kept.map((e) => ({ keys: e.keys, tokens: e.tokens, lineWords: e.snippetTokens })),
      vocabulary: [...rec.vocabulary],
      configNames: [...rec.configNames],
      dropped: rec.dropped,
      regime: regimeBefore === regimeAfter ? regimeBefore : MIXED_REGIME,
      refused: rec.refused,
      admittedBefore,
    };
  }

  /**
   * Whether `replay(part)` adds what `addFile` of the file's facts would add now: always for a
   * part the budget cut nothing from; for one it did, only where the budget is at least as strict
   * (its regime, or for a part during which the budget ran out, its count), so that it refuses
   * what it refused then (a part recorded after the budget ran out lacks facts an earlier place
   * in the walk would admit).
   */
  canReplay(part: FileIndexPart): boolean {
    if (!this.filter?.admit || part.refused === 0) return true;
    // Read throughout in one regime, it lacks only facts that regime refuses, as any stricter one does.
    if (part.regime !== undefined && part.regime !== MIXED_REGIME) return (this.filter.regime?.() ?? 0) >= part.regime;
    if (part.refused === undefined || part.admittedBefore === undefined) return false;
    return (this.filter.admitted?.() ?? 0) >= part.admittedBefore;
  }

  /**
   * Adds a file as `addFile` recorded it: same index as adding all of its facts again, for the
   * same filter (see `canReplay`). With `only`, the other facts still pass the fact budget but are
   * not kept: an index for some lookups (DeferredIndex.replayScoped), whose vocabulary is given.
   */
  replay(part: FileIndexPart, only?: (fact: Fact, words: FactWords) => boolean): void {
    const words = part.words?.length === part.facts.length ? part.words : undefined;
    if (only && !words && part.facts.length > 0) throw new Error('a part without its words cannot be replayed in part');
    this.beginFile();
    part.facts.forEach((f, i) => {
      const w = words?.[i];
      if (only && w && !only(f, w)) {
        this.filter?.admit?.(f, w.keys);
        return;
      }
      // Stored lists are one per fact: share them as computed ones are (most repeat). An index for
      // some lookups lives for one run's few claims: not worth the joins.
      // A part's facts own their strings: decoded from a record, or copied by the addFile that made it.
      this.addOne(f, w && (this.forLookups ? w : { keys: this.shared(w.keys), tokens: this.shared(w.tokens), lineWords: this.shared(w.lineWords) }), true);
    });
    if (!this.forLookups) for (const w of part.vocabulary) this.sayWord(w);
    this.endFile();
    for (const n of part.configNames) this.configNames.add(n);
    this.dropped += part.dropped;
  }

  private beginFile(): void {
    this.fileWords = this.filter ? new Set() : undefined;
  }

  private endFile(): void {
    for (const w of this.fileWords ?? []) this.wordFiles.set(w, (this.wordFiles.get(w) ?? 0) + 1);
    this.fileWords = undefined;
  }

  private sayWord(word: string): void {
    this.vocabulary.add(word);
    this.fileWords?.add(word);
  }

  /**
   * Word analysis of names, which repeat across facts (`lr`, a file's path): computed once per
   * distinct string. The results are shared between facts and never mutated.
   */
  private readonly memo = new Map<string, string[]>();

  private memoized(kind: string, text: string, compute: (text: string) => string[]): string[] {
    const k = `${kind}\u0000${text}`;
    let v = this.memo.get(k);
    if (!v) {
      v = compute(text);
      // Bounded: a huge workspace's unique paths must not grow it without end.
      if (this.memo.size >= MAX_MEMO) this.memo.clear();
      this.memo.set(k, v);
    }
    return v;
  }

  /** The card's words of a line's words, once per list: facts of one line share both. */
  private readonly cardWordLists = new WeakMap<readonly string[], readonly string[]>();

  private cardWordsOf(lineWords: readonly string[], wanted: ReadonlySet<string> | undefined): readonly string[] {
    if (!wanted) return distinct(lineWords);
    let out = this.cardWordLists.get(lineWords);
    if (out === undefined) {
      out = distinct(lineWords.filter((t) => wanted.has(t)));
      this.cardWordLists.set(lineWords, out);
    }
    return out;
  }

  private shared(list: readonly string[]): readonly string[] {
    if (list.length === 0) return NONE;
    return this.memoized('list', list.join('\u0001'), () => [...list]);
  }

  /** Facts of one line share its words; lines of other files rarely repeat, so only the current file's are kept. */
  private linesOf = { file: '', words: new Map<string, string[]>() };

  private lineWords(fact: Fact): string[] {
    if (this.linesOf.file !== fact.file) this.linesOf = { file: fact.file, words: new Map() };
    let words = this.linesOf.words.get(fact.snippet);
    if (!words) {
      words = contentTokens(fact.snippet);
      this.linesOf.words.set(fact.snippet, words);
    }
    return words;
  }

  /** The words analysis of a fact (what `addOne` derives from its names and line). */
  private wordsOf(fact: Fact): FactWords {
    const keyText = this.keyTextOf(fact);
    const measured = fact.form === 'output' || fact.form === 'text' || fact.form === 'result';
    let keys = measured ? this.memoized('keys-m', keyText, (t) => keysInText(t, 'code')) : this.memoized('keys-c', keyText, keysOfCodeName);
    // A keyword's own name decides its key (StepLR's gamma is no learning rate); the callee only
    // names a parameter too short to say anything alone (Dropout's p).
    if (keys.length === 0 && fact.form === 'keyword' && fact.call && fact.rawKey.length <= 2) keys = keysInText(`${fact.call.split('.').pop() ?? ''}.${fact.rawKey}`, 'code');
    // With a filter, every lookup of a fact's words (tokens, snippet words, vocabulary) is by a card
    // word (see factRelevance.ts): the other words need not be kept.
    const wanted = this.filter?.vocabulary;
    const named = [...this.memoized('tok', keyText, contentTokens), ...this.memoized('tok', fact.path, contentTokens), ...this.memoized('file', fact.file, fileTokens)];
    const tokens = distinct(wanted ? named.filter((t) => wanted.has(t)) : named);
    const lineWords = this.lineWords(fact);
    return { keys, tokens, lineWords };
  }

  private addOne(fact: Fact, words?: FactWords, owned = false): void {
    const { keys, tokens, lineWords } = words ?? this.wordsOf(fact);
    const wanted = this.filter?.vocabulary;
    const configName = fact.source === 'config' ? (fact.file.split('/').pop() ?? '').replace(/\.[a-z]+$/i, '').toLowerCase() : undefined;
    if (configName) {
      this.configNames.add(configName);
      this.recording?.configNames.add(configName);
    }
    const fileWords = this.forLookups ? NONE : this.memoized('tok', fact.file, contentTokens);
    const kept = !this.filter || this.filter.keep(fact, keys, tokens);
    const refused = kept && this.filter?.admit !== undefined && !this.filter.admit(fact, keys);
    if (!kept || refused) {
      if (!this.forLookups) {
        this.addCardWords(lineWords, wanted);
        this.addCardWords(fileWords, wanted);
      }
      this.dropped++;
      if (this.recording) {
        this.recording.dropped++;
        if (refused) this.recording.refused++;
      }
      return;
    }
    const snippetTokens = this.cardWordsOf(lineWords, wanted);
    const entry: IndexedFact = { fact: this.copiesStrings && !owned ? this.ownedFact(fact) : fact, keys, tokens, snippetTokens, tier: tierOf(fact), deciding: isDeciding(fact), configName, seq: this.entries.length };
    this.entries.push(entry);
    if (isListedForm(fact.form)) push(this.byForm, fact.form, entry);
    if (holdsYear(fact.value)) this.yearList.push(entry);
    if (this.identity) for (const t of identityLookups(entry.fact, entry.deciding)) push(this.identity, t, entry);
    for (const k of keys) push(this.byKey, k, entry);
    if (hasNumber(fact.value)) for (const t of tokens) push(this.byToken, t, entry);
    if (!this.forLookups) {
      for (const t of snippetTokens) this.sayWord(t);
      for (const t of fileWords) if (!wanted || wanted.has(t)) this.sayWord(t);
    }
    for (const n of namesOf(fact)) {
      this.nameList.names.push(this.nameStrings.of(n));
      this.nameList.facts.push(entry);
    }
  }

  /** Owned copies of the current file's strings: facts of one line share its snippet and names. */
  private ownedOf = { file: '', strings: new Map<string, string>() };

  private owned(s: string): string {
    if (s.length < 13) return s;
    let copy = this.ownedOf.strings.get(s);
    if (copy === undefined) {
      copy = owned(s);
      this.ownedOf.strings.set(copy, copy);
    }
    return copy;
  }

  /** The fact as the index keeps it: strings that do not pin their file's text (see `owned`). */
  private ownedFact(f: Fact): Fact {
    if (this.ownedOf.file !== f.file) this.ownedOf = { file: f.file, strings: new Map() };
    const fields = { ...f, rawKey: this.owned(f.rawKey), path: this.owned(f.path), snippet: this.owned(f.snippet), value: this.ownedValue(f.value) };
    return factOf(fields, f.call === undefined ? undefined : this.owned(f.call), f.flags);
  }

  private ownedValue(v: FactValue): FactValue {
    if (typeof v === 'string') return this.owned(v);
    return Array.isArray(v) ? v.map((x) => this.ownedValue(x)) : v;
  }

  /** Words of a dropped fact that the card uses: the vocabulary must still know the workspace says them. */
  private addCardWords(words: readonly string[], wanted: ReadonlySet<string> | undefined): void {
    for (const t of words) {
      if (!wanted?.has(t)) continue;
      this.sayWord(t);
      this.recording?.vocabulary.add(t);
    }
  }

  private keyTextOf(f: Fact): string {
    if (f.form === 'output' || f.form === 'text' || f.form === 'result') return `${f.rawKey} ${lastSegments(f.path, 2)}`;
    if (/^\d+$/.test(f.rawKey) || /\.\d+$/.test(f.path)) return lastSegments(f.path, 2);
    return f.rawKey;
  }

  /**
   * Called once every fact is in: ranks the files in collation order once, so that ranking
   * evidence compares numbers instead of collating paths on every tie.
   */
  finish(): this {
    const files = [...new Set(this.entries.map((e) => e.fact.file))].sort(FILE_ORDER.compare);
    const order = new Map(files.map((file, i) => [file, i]));
    for (const e of this.entries) e.fileOrder = order.get(e.fact.file);
    return this;
  }

  /** Whether the workspace writes a name (compacted) somewhere, also inside a longer one. */
  hasName(name: string): boolean {
    if (name.length < 3) return true;
    if (this.hasWord(name)) return true;
    return this.names.names.some((n) => n.includes(name));
  }

  /** Whether the workspace says `word` (a card word: see FactFilter.vocabulary). */
  hasWord(word: string): boolean {
    this.looked?.add(`${LOOKED_AT_WORD}${word}`);
    return this.vocabulary.has(word);
  }

  withKey(key: string): IndexedFact[] {
    this.looked?.add(`${LOOKED_AT_KEY}${key}`);
    return this.byKey.get(key) ?? [];
  }

  withToken(token: string): IndexedFact[] {
    this.looked?.add(`${LOOKED_AT_TOKEN}${token}`);
    return this.byToken.get(token) ?? [];
  }

  /** Every fact of a listed form (pinned versions, licences). */
  withForm(form: ListedForm): IndexedFact[] {
    this.looked?.add(`${LOOKED_AT_FORM}${form}`);
    return this.byForm.get(form) ?? [];
  }

  /** Facts whose value is, or holds, a year (1900–2100), in the order they reached the index. */
  withYear(): IndexedFact[] {
    this.looked?.add(LOOKED_AT_YEARS);
    return this.yearList;
  }

  /** Deciding facts one of whose identity words (see identityTokens.ts) is `token`. */
  withIdentityToken(token: string): IndexedFact[] {
    this.looked?.add(`${LOOKED_AT_IDENTITY}${token}`);
    if (!this.identity) {
      this.identity = new Map();
      for (const e of this.entries) for (const t of identityLookups(e.fact, e.deciding)) push(this.identity, t, e);
    }
    return this.identity.get(token) ?? [];
  }

  /** Adds card words to the vocabulary: an index built for some lookups only learns it whole (DeferredIndex.replayScoped). */
  knowWords(words: Iterable<string>): void {
    for (const w of words) this.vocabulary.add(w);
  }

  /** Adds config file stems, as `knowWords` the vocabulary. */
  knowConfigNames(names: Iterable<string>): void {
    for (const n of names) this.configNames.add(n);
  }

  /** For data derived from `all` and cached per index: using it is looking at every fact. */
  lookedAtAll(): void {
    this.looked?.add(LOOKED_AT_ALL);
  }

  /**
   * Runs `decide` and returns what it looked up in this index: a claim decided with these lookups
   * decides the same while no fact answering them changes (see `lookupsOf`).
   */
  track<T>(decide: () => T): { value: T; looked: string[] } {
    const outer = this.looked;
    const looked = new Set<string>();
    this.looked = looked;
    try {
      return { value: decide(), looked: [...looked] };
    } finally {
      this.looked = outer;
    }
  }
}

/**
 * A string that holds no more memory than its own characters. Extractors cut snippets and names
 * out of whole file texts, and V8 keeps such a slice's parent alive: an index of a few thousand
 * facts otherwise retains the full source of every file they came from (34 MB of 114 MB of heap
 * on the Python standard library). Short strings are always copied by V8. A JSON round trip
 * gives a flat string; slicing a copy (`(' ' + s).slice(1)`, as before) gave a new slice of a
 * new parent: 32 bytes more per string.
 */
function owned(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

const NONE: readonly string[] = Object.freeze([]);

/** Distinct words, sharing one empty list (most facts' filtered words are none). */
function distinct(words: readonly string[]): readonly string[] {
  if (words.length === 0) return NONE;
  return words.length === 1 ? words : [...new Set(words)];
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/**
 * What `track` records: a look at every fact, at the names, at a vocabulary word, at a key, a
 * token, a listed form, an identity word, or the facts holding a year.
 */
export const LOOKED_AT_ALL = '*';
export const LOOKED_AT_NAMES = 'names';
export const LOOKED_AT_WORD = 'w:';
const LOOKED_AT_KEY = 'k:';
const LOOKED_AT_TOKEN = 't:';
const LOOKED_AT_FORM = 'f:';
const LOOKED_AT_IDENTITY = 'i:';
const LOOKED_AT_YEARS = 'y:';

/** A whole number from 1900 to 2100: a year, as year filters state them. */
export function isYearish(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1900 && v <= 2100;
}

/** A year (1900–2100), or a list holding one. */
export function holdsYear(v: FactValue): boolean {
  return isYearish(v) || (Array.isArray(v) && v.some(isYearish));
}

/** Forms `withForm` lists. */
export type ListedForm = 'version' | 'license';

function isListedForm(form: string): form is ListedForm {
  return form === 'version' || form === 'license';
}

/** The identity words `withIdentityToken` finds a fact by: none for facts that never decide. */
function identityLookups(fact: Fact, deciding: boolean): string[] {
  if (!deciding) return [];
  const id = identityTokensOf(fact);
  return id.length >= MIN_IDENTITY_TOKENS ? id : [];
}

/**
 * The lookups whose answer a kept fact is part of (with its keys and tokens as the index stores
 * them): adding or removing it can change what a claim that made one of them decides.
 */
export function lookupsOf(fact: Fact, words: FactWords): string[] {
  const out = [LOOKED_AT_ALL, ...words.keys.map((k) => `${LOOKED_AT_KEY}${k}`)];
  if (hasNumber(fact.value)) for (const t of words.tokens) out.push(`${LOOKED_AT_TOKEN}${t}`);
  if (namesOf(fact).length > 0) out.push(LOOKED_AT_NAMES);
  if (isListedForm(fact.form)) out.push(`${LOOKED_AT_FORM}${fact.form}`);
  if (holdsYear(fact.value)) out.push(LOOKED_AT_YEARS);
  for (const t of identityLookups(fact, isDeciding(fact))) out.push(`${LOOKED_AT_IDENTITY}${t}`);
  return out;
}

/**
 * Whether a kept fact is part of the answer to one of `lookups`, which never holds the scans of
 * every fact or of the names (see lookupScope): `lookupsOf(...).some(has)`, written out because
 * a scoped re-run asks it of tens of thousands of facts (twice as fast, without the strings it
 * would not need). A test holds the two to the same answers.
 */
export function answersSome(fact: Fact, words: FactWords, lookups: LookupSet): boolean {
  for (const k of words.keys) if (lookups.has(`${LOOKED_AT_KEY}${k}`)) return true;
  if (hasNumber(fact.value)) for (const t of words.tokens) if (lookups.has(`${LOOKED_AT_TOKEN}${t}`)) return true;
  if (isListedForm(fact.form) && lookups.has(`${LOOKED_AT_FORM}${fact.form}`)) return true;
  if (lookups.has(LOOKED_AT_YEARS) && holdsYear(fact.value)) return true;
  if (lookups.identity) for (const t of identityLookups(fact, isDeciding(fact))) if (lookups.has(`${LOOKED_AT_IDENTITY}${t}`)) return true;
  return false;
}

/** Lookups (FactIndex.track's strings), with whether any is by identity word (those cost most to test). */
export class LookupSet {
  readonly identity: boolean;
  private readonly unreadable: boolean;
  constructor(private readonly lookups: ReadonlySet<string>) {
    // Identity words are derived from the facts, years are numbers: a record's text cannot tell.
    this.unreadable = [...lookups].some((l) => l.startsWith(LOOKED_AT_IDENTITY) || l === LOOKED_AT_YEARS);
    this.identity = [...lookups].some((l) => l.startsWith(LOOKED_AT_IDENTITY));
  }

  has(lookup: string): boolean {
    return this.lookups.has(lookup);
  }

  /**
   * What a stored record of facts (JSON, with each fact's keys and words) must contain as a
   * string to hold a fact answering one of these lookups; undefined when that cannot be told
   * from its text.
   */
  needles(): Buffer[] | undefined {
    if (this.unreadable) return undefined;
    const out: Buffer[] = [];
    for (const l of this.lookups) {
      const colon = l.indexOf(':');
      const kind = l.slice(0, colon + 1);
      if (kind === LOOKED_AT_KEY || kind === LOOKED_AT_TOKEN || kind === LOOKED_AT_FORM) out.push(Buffer.from(JSON.stringify(l.slice(colon + 1))));
    }
    return out;
  }

  /**
   * Whether an index that answers these lookups answers `lookup` too: vocabulary words always
   * (such an index learns the vocabulary whole), a scan of every fact or of the names never.
   */
  covers(lookup: string): boolean {
    return lookup.startsWith(LOOKED_AT_WORD) || this.lookups.has(lookup);
  }
}

export function hasNumber(v: FactValue): boolean {
  if (typeof v === 'number') return true;
  return Array.isArray(v) && v.some((x) => typeof x === 'number');
}

/** Names a fact contributes to name matching: callees, imports, string values. */
function namesOf(f: Fact): string[] {
  const out: string[] = [];
  if ((f.form === 'call' || f.form === 'import') && typeof f.value === 'string') {
    out.push(compact(f.value.split('.').pop() ?? f.value));
  }
  const strings = typeof f.value === 'string' ? [f.value] : Array.isArray(f.value) ? f.value.filter((x): x is string => typeof x === 'string') : [];
  if (f.form !== 'call' && f.form !== 'import') for (const s of strings) if (s.length <= 80) out.push(compact(s));
  // A name used as a key: a data mixture's `"HuggingFaceH4/ultrachat_200k": 0.55`.
  if (/[/-]/.test(f.rawKey) && f.rawKey.length <= 80) out.push(compact(f.rawKey));
  return out.filter((n) => n.length >= 2);
}

/** `nn.Linear(512, 256)` also states `Linear.out_features = 256`. */
function expandPositional(f: Fact): Fact[] {
  if (f.form !== 'positional' || !Array.isArray(f.value) || !f.call) return [f];
  const sig = CALL_SIGNATURES[f.call.split('.').pop() ?? ''];
  if (!sig) return [f];
  const named: Fact[] = [f];
  f.value.forEach((v, i) => {
    if (i < sig.length && (typeof v === 'number' || typeof v === 'boolean')) {
      named.push({ ...f, form: 'keyword', rawKey: sig[i], path: `${f.call}.${sig[i]}`, value: v });
    }
  });
  return named;
}
