import type { ClaimUnit } from '../card/extractClaims.js';
import type { Claim } from '../card/claim.js';
import type { ClaimResult, Evidence, LlmStats, Position, Range } from '../model.js';
import type { FactIndex, IndexedFact } from '../verify/factIndex.js';
import { decideAtom, type CardContext } from '../verify/decideAtom.js';
import type { EvidenceRef } from '../verify/decision.js';
import { contentTokens } from '../verify/tokens.js';
import { LlmBudgetError, LlmClient, LlmFatalError } from './client.js';
import { llmPassAllowed, type LlmOptions } from './llmOptions.js';
import { WorkspaceTools, summarizeFact, type FactSummary } from './sandboxTools.js';
import { extractClaims } from './extraction.js';
import { runCodeAct } from './codeAct.js';
import { checkFinding, type CheckOutcome } from './citationCheck.js';
import { AnswerCache } from './answerCache.js';
import { codeActUserMessage, type Answer, type CheckSpec, type Finding } from './prompts.js';

/**
 * The optional second pass: for the claims the engine leaves unverified, ask a model (structured
 * extraction for sentences without a parsed value, then CodeAct verification in the sandbox) and
 * let the engine decide whether to believe it (citationCheck.ts). Units are worked on with
 * bounded concurrency but handed back strictly in card order, one unit at a time.
 */


export interface LlmPassInit {
  options: LlmOptions;
  apiKey?: string;
  root: string;
  cardAbs: string;
  cardLines: readonly string[];
  maxFileBytes: number;
  include: string[];
  exclude: string[];
  index: FactIndex;
  context: CardContext;
  /** Receives messages already scrubbed of the key. */
  warn(message: string): void;
  signal?: AbortSignal;
}

const RELATED_FACTS = 12;
const FILE_SAMPLE = 40;
const MAX_EVIDENCE = 5;
const SNIPPET_CHARS = 200;
const MAX_REQUEST_WARNINGS = 3;

type AtomOutcome =
  | { kind: 'decided'; verdict: 'supported' | 'contradicted'; evidence: Evidence[]; codeValue?: string; explanation: string; confidence: number }
  | { kind: 'open'; reason: string };

export class LlmPass {
  private readonly client: LlmClient;
  private readonly cache: AnswerCache;
  private stopped: string | undefined;
  private sent = 0;
  private busy = 0;
  private busySince = 0;
  private busyMs = 0;
  private cacheHits = 0;
  private accepted = 0;
  private rejected = 0;
  private requestWarnings = 0;
  private warnedLimit = false;

  private constructor(private readonly init: LlmPassInit, private readonly tools: WorkspaceTools) {
    const o = init.options;
    this.client = new LlmClient({
      baseUrl: o.baseUrl, model: o.model, apiKey: init.apiKey, timeoutMs: o.timeoutMs, maxRequests: o.maxRequests,
      maxTokens: o.maxTokens, maxRetries: o.maxRetries, retryBaseMs: o.retryBaseMs, stream: o.stream,
    });
    this.cache = new AnswerCache(o.cacheDir, (m) => this.warn(m));
  }

  static async open(init: LlmPassInit): Promise<LlmPass> {
    const tools = await WorkspaceTools.open({
      root: init.root, cardAbs: init.cardAbs, maxFileBytes: init.maxFileBytes, include: init.include, exclude: init.exclude, index: init.index, signal: init.signal,
    });
    return new LlmPass(init, tools);
  }

  stats(): LlmStats {
    const u = this.client.usage;
    return {
      requests: u.requests, promptTokens: u.promptTokens, completionTokens: u.completionTokens, ms: this.busyMs + (this.busy > 0 ? Date.now() - this.busySince : 0),
      cacheHits: this.cacheHits, claims: this.sent, accepted: this.accepted, rejected: this.rejected,
    };
  }

  /**
   * Results per unit, in card order: `decide` gives the engine's verdicts, the pass refines the
   * unverified ones. At most `concurrency` units are in flight; none is yielded before the ones
   * above it.
   */
  async *refine(units: readonly ClaimUnit[], decide: (u: ClaimUnit) => ClaimResult[]): AsyncGenerator<ClaimResult[]> {
    const window: Promise<ClaimResult[]>[] = [];
    let next = 0;
    while (next < units.length || window.length > 0) {
      while (window.length < this.init.options.concurrency && next < units.length) {
        const unit = units[next++];
        window.push(this.refineUnit(unit, decide(unit)));
      }
      const head = window.shift();
      if (head) yield await head;
    }
  }

  /** Never rejects: whatever goes wrong, the engine's own results stand. */
  async refineUnit(unit: ClaimUnit, results: ClaimResult[]): Promise<ClaimResult[]> {
    const out: ClaimResult[] = [];
    for (const r of results) {
      if (r.verdict !== 'unverified' || !this.admit()) {
        out.push(r);
        continue;
      }
      this.enter();
      try {
        out.push(await this.refineResult(unit, r));
      } catch (err) {
        out.push(this.failed(r, err));
      } finally {
        this.leave();
      }
    }
    return out;
  }

  private admit(): boolean {
    if (this.stopped || this.init.signal?.aborted) return false;
    if (this.sent >= this.init.options.maxClaims) {
      if (!this.warnedLimit) this.warn(`the LLM pass stopped after ${this.sent} claims (its claim limit); later unverified claims were not sent`);
      this.warnedLimit = true;
      return false;
    }
    this.sent++;
    return true;
  }

  private async refineResult(unit: ClaimUnit, result: ClaimResult): Promise<ClaimResult> {
    const signal = this.init.signal;
    let atoms = atomsOf(unit, result);
    const notes: string[] = [];
    const outcomes = new Map<Claim, AtomOutcome>();
    if (this.init.options.extract && atoms.every((a) => a.value.type === 'mention')) {
      const ex = await extractClaims(this.client, { id: result.id, text: result.text, range: result.range, headings: unit.headings }, this.init.cardLines, signal);
      if (ex.problem) notes.push(ex.problem);
      if (ex.claims.length > 0) {
        atoms = ex.claims;
        // The engine decides what it now can; its contradictions need the model's citation too.
        for (const a of atoms) {
          const d = decideAtom(a, this.init.index, this.init.context);
          if (d.verdict === 'supported') {
            outcomes.set(a, { kind: 'decided', verdict: 'supported', evidence: d.evidence.slice(0, 3).map(toEvidence), codeValue: d.codeValue, explanation: d.explanation, confidence: Math.min(d.confidence, 0.8) });
          }
        }
      } else if (ex.dropped > 0) notes.push(`the ${ex.dropped} claim(s) the model extracted did not quote the card`);
    }
    if (atoms.length === 0) atoms = [mentionOf(unit, result)];

    const open = atoms.filter((a) => !outcomes.has(a));
    if (open.length > 0) {
      const checks: CheckSpec[] = open.map((a, i) => ({ id: `c${i + 1}`, text: a.text, quantity: a.keyText.trim() || a.text, ...(cardValueOf(a) !== undefined ? { value: cardValueOf(a) } : {}) }));
      const related = this.relatedFacts(open, result);
      const answer = await this.answer(result, unit, checks, related);
      if (answer.answer) {
        for (const [i, a] of open.entries()) {
          const finding = findingFor(answer.answer, checks[i].id, open.length);
          if (!finding) {
            outcomes.set(a, { kind: 'open', reason: `the model gave no finding for ${checks[i].id}` });
            continue;
          }
          const checked = checkFinding(a, finding, this.tools);
          if (checked.accepted) this.accepted++;
          else if (finding.verdict !== 'unverified') this.rejected++;
          outcomes.set(a, this.outcomeOf(a, checked));
        }
      } else for (const a of open) outcomes.set(a, { kind: 'open', reason: answer.failure ?? 'no answer' });
    }
    return this.combine(result, atoms, outcomes, notes);
  }

  private async answer(result: ClaimResult, unit: ClaimUnit, checks: CheckSpec[], related: FactSummary[]): Promise<{ answer?: Answer; failure?: string }> {
    const o = this.init.options;
    const key = AnswerCache.key({ model: o.model, claim: { text: result.text, headings: unit.headings, checks }, facts: related });
    const cached = this.cache.get(key);
    if (cached && this.tools.replay(cached.observations)) {
      this.cacheHits++;
      return { answer: cached.answer };
    }
    const message = codeActUserMessage({ text: result.text, headings: unit.headings, checks }, related, { count: this.tools.fileCount, sample: this.tools.paths().slice(0, FILE_SAMPLE) });
    const r = await runCodeAct(this.client, this.tools, message, {
      maxSteps: o.maxStepsPerClaim,
      step: { timeMs: o.stepTimeMs, memoryBytes: o.stepMemoryMb << 20 },
    }, this.init.signal);
    if (r.answer) this.cache.set(key, { answer: r.answer, observations: r.observations });
    return { answer: r.answer, failure: r.failure };
  }

  private outcomeOf(atom: Claim, c: CheckOutcome): AtomOutcome {
    if (!c.accepted) return { kind: 'open', reason: `answer rejected: ${c.reason}` };
    const card = cardValueOf(atom);
    const model = this.init.options.model;
    const explanation = c.verdict === 'supported'
      ? (c.codeValue !== undefined
        ? `LLM pass (${model}): ${c.where} has ${c.codeValue}, as the card states; CardCheck found the quote on that line and the values agree.`
        : `LLM pass (${model}): ${c.where} says what the card states; CardCheck found each quote on its line, naming what the claim names.`)
      : `LLM pass (${model}): card: ${card ?? atom.text}; ${c.where} has ${c.codeValue ?? 'another value'}. CardCheck found the quote on that line and the values differ.`;
    return { kind: 'decided', verdict: c.verdict, evidence: c.evidence, codeValue: c.codeValue, explanation, confidence: c.verdict === 'supported' ? 0.7 : 0.6 };
  }

  /** The claim's verdict from its atoms: any contradiction decides; support needs every atom. */
  private combine(result: ClaimResult, atoms: Claim[], outcomes: Map<Claim, AtomOutcome>, notes: string[]): ClaimResult {
    const decided = atoms.map((a) => outcomes.get(a)).filter((x): x is Extract<AtomOutcome, { kind: 'decided' }> => x?.kind === 'decided');
    const contradicted = decided.filter((d) => d.verdict === 'contradicted');
    const reasons = [...new Set([...notes, ...atoms.map((a) => outcomes.get(a)).flatMap((x) => (x?.kind === 'open' ? [x.reason] : []))])];
    let chosen: typeof decided | undefined;
    let verdict: 'supported' | 'contradicted' | undefined;
    if (contradicted.length > 0) {
      chosen = contradicted;
      verdict = 'contradicted';
    } else if (decided.length === atoms.length && decided.length > 0) {
      chosen = decided;
      verdict = 'supported';
    }
    if (!chosen || !verdict) {
      const why = reasons.length > 0 ? ` LLM pass: ${this.scrub(reasons.slice(0, 2).join('; '))}.` : '';
      return { ...result, explanation: `${result.explanation}${why}` };
    }
    const evidence: Evidence[] = [];
    for (const e of [...chosen.flatMap((d) => d.evidence), ...result.evidence.filter((e) => e.stance === 'related')]) {
      if (evidence.length < MAX_EVIDENCE && !evidence.some((x) => x.path === e.path && x.range.start.line === e.range.start.line)) evidence.push(e);
    }
    const refined: ClaimResult = {
      ...result,
      verdict,
      confidence: Math.min(...chosen.map((d) => d.confidence)),
      evidence,
      explanation: this.scrub(chosen.map((d) => d.explanation).join(' ')),
    };
    const codeValue = chosen.find((d) => d.codeValue !== undefined)?.codeValue;
    if (codeValue !== undefined) refined.codeValue = codeValue;
    else delete refined.codeValue;
    return refined;
  }

  /** Facts worth showing the model: the engine's related evidence, then facts named by the claim's keys and words. */
  private relatedFacts(atoms: Claim[], result: ClaimResult): FactSummary[] {
    const index = this.init.index;
    const picked = new Set<IndexedFact>();
    const add = (f: IndexedFact): void => {
      if (picked.size < RELATED_FACTS) picked.add(f);
    };
    for (const e of result.evidence) {
      const f = index.all.find((x) => x.fact.file === e.path && x.fact.line === e.range.start.line);
      if (f) add(f);
    }
    for (const a of atoms) for (const k of a.keys) for (const f of index.withKey(k).filter((x) => x.deciding).slice(0, 4)) add(f);
    const words = [...new Set(atoms.flatMap((a) => contentTokens(a.keyText)))].filter((w) => w.length > 2);
    for (const w of words) for (const f of index.withToken(w).filter((x) => x.deciding).slice(0, 3)) add(f);
    return [...picked].map(summarizeFact);
  }

  private failed(result: ClaimResult, err: unknown): ClaimResult {
    const message = this.scrub(err instanceof Error ? err.message : String(err));
    if (err instanceof LlmBudgetError || err instanceof LlmFatalError) {
      if (!this.stopped) {
        this.stopped = message;
        this.warn(err instanceof LlmBudgetError ? `the LLM pass stopped: ${message}; the remaining unverified claims were not sent` : `the LLM pass stopped: ${message}`);
      }
    } else if (!this.init.signal?.aborted && this.requestWarnings < MAX_REQUEST_WARNINGS) {
      this.requestWarnings++;
      this.warn(`the LLM pass could not check claim ${result.id}: ${message}`);
    }
    return { ...result, explanation: `${result.explanation} LLM pass: ${message}.` };
  }

  private scrub(s: string): string {
    return this.client.redactor.scrub(s);
  }

  private warn(message: string): void {
    this.init.warn(this.scrub(message));
  }

  private enter(): void {
    if (this.busy++ === 0) this.busySince = Date.now();
  }

  private leave(): void {
    if (--this.busy === 0) this.busyMs += Date.now() - this.busySince;
  }
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}

function within(inner: Range, outer: Range): boolean {
  return !before(inner.start, outer.start) && !before(outer.end, inner.end);
}

/** The atoms a reported claim stands for: all of a unit reported as one, else those inside its range. */
export function atomsOf(unit: ClaimUnit, result: ClaimResult): Claim[] {
  if (result.id === unit.id) return unit.atoms;
  return unit.atoms.filter((a) => within(a.range, result.range));
}

function mentionOf(unit: ClaimUnit, result: ClaimResult): Claim {
  return { id: result.id, text: result.text, kind: result.kind, range: result.range, context: result.text, keyText: '', keys: [], value: { type: 'mention' }, headings: unit.headings };
}

function findingFor(answer: Answer, id: string, checks: number): Finding | undefined {
  const exact = answer.findings.find((f) => f.check.trim().toLowerCase() === id);
  if (exact) return exact;
  // One check, one finding: the model may have named it its own way.
  return checks === 1 && answer.findings.length === 1 ? answer.findings[0] : undefined;
}

function cardValueOf(c: Claim): string | undefined {
  const v = c.value;
  switch (v.type) {
    case 'number': return v.number.raw;
    case 'inequality': return `${v.op} ${v.bound.raw}`;
    case 'plusminus': return `${v.mean.raw} ± ${v.err.raw}`;
    case 'range': return `${v.lo.raw}–${v.hi.raw}`;
    case 'list': return v.items.map((i) => i.raw).join(', ');
    case 'version': return `${v.pkg} ${v.version}`;
    case 'license': return v.license;
    case 'name': return v.name;
    case 'identifiers': return v.ids.join(', ');
    case 'mention': return undefined;
  }
}

function toEvidence(r: EvidenceRef): Evidence {
  const f = r.fact.fact;
  const snippet = f.snippet.length > SNIPPET_CHARS ? `${f.snippet.slice(0, SNIPPET_CHARS - 1)}…` : f.snippet;
  return { path: f.file, range: { start: { line: f.line, column: f.column }, end: { line: f.endLine, column: f.endColumn } }, snippet, stance: r.stance, source: f.source };
}

export interface OpenLlmPassInput extends Omit<LlmPassInit, 'options'> {
  options: LlmOptions | undefined;
  workspaceTrusted: boolean;
}

/**
 * The pass for a run, or undefined when it is off, not allowed (untrusted workspace) or cannot
 * work (no key for OpenAI's own endpoint); the reason is a warning when the user asked for it.
 */
export async function openLlmPass(input: OpenLlmPassInput): Promise<LlmPass | undefined> {
  const { options, workspaceTrusted, ...rest } = input;
  if (!options?.enabled) return undefined;
  const allowed = llmPassAllowed(options, workspaceTrusted);
  if (!allowed.allowed) {
    if (allowed.reason) rest.warn(allowed.reason);
    return undefined;
  }
  if (!input.apiKey && /(^|\.)openai\.com$/i.test(hostOf(options.baseUrl))) {
    rest.warn('LLM pass skipped: no API key (set OPENAI_API_KEY, or in VS Code run "CardCheck: Set LLM API Key")');
    return undefined;
  }
  return LlmPass.open({ ...rest, options });
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
