import type { IndexedFact } from './factIndex.js';

/**
 * The facts that decide a setting: deciding files only, the highest tier present, and among
 * config files the ones the card names (base.yaml when the card says "base configuration").
 */
export function effectiveFacts(facts: IndexedFact[], namedConfigs: Set<string>, measured = false): IndexedFact[] {
  let deciding = facts.filter((f) => f.deciding);
  if (deciding.length === 0) return [];
  const configs = new Set(deciding.map((f) => f.configName).filter((n): n is string => n !== undefined));
  if (configs.size > 1) {
    const named = [...configs].filter((c) => namedConfigs.has(c));
    if (named.length > 0) deciding = deciding.filter((f) => f.configName === undefined || named.includes(f.configName));
  }
  // A setting is what the code sets; a result file's "epoch: 3.0" only echoes it.
  const tier = (f: IndexedFact) => (!measured && isMeasuredForm(f) ? 0 : f.tier);
  const top = Math.max(...deciding.map(tier));
  const best = deciding.filter((f) => tier(f) === top);
  // A measured quantity logged many times: the last value in each file is the final one.
  return lastPerFileAndKey(best);
}

/** Lines between two prints of one name in one output (a training log prints one per line or so). */
const NOTEBOOK_SERIES_GAP = 6;

function isNotebook(f: IndexedFact): boolean {
  return f.fact.file.endsWith('.ipynb');
}

function isMeasuredForm(f: IndexedFact): boolean {
  return f.fact.form === 'output' || f.fact.form === 'result';
}

function lastPerFileAndKey(facts: IndexedFact[]): IndexedFact[] {
  const measured = facts.filter(isMeasuredForm);
  if (measured.length === 0) return facts;
  const last = new Map<string, IndexedFact>();
  for (const f of [...measured].sort((a, b) => a.fact.line - b.fact.line)) {
    const k = `${f.fact.file}\u0000${f.fact.path}`;
    const prev = last.get(k);
    // In a notebook, a name printed again far from its last print is another cell's result ("R2"
    // of the LGD model, then of the EAD model), not the next value of a series.
    if (prev && isNotebook(f) && f.fact.line - prev.fact.line > NOTEBOOK_SERIES_GAP) {
      last.set(`${k}\u0000${f.fact.line}`, prev);
    }
    last.set(k, f);
  }
  const measuredSet = new Set(measured);
  return [...facts.filter((f) => !measuredSet.has(f)), ...last.values()];
}
