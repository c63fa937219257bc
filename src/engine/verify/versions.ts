/**
 * Package versions: PEP 440 ordering (1.3.2 == 1.3.2.0, 2.0rc1 < 2.0 < 2.0.post1) and the
 * specifier dialects ML repos use: pip (`==`, `>=`, `~=`, `!=`, `==1.3.*`, commas), conda
 * (`=1.3.2` means 1.3.2.*, `=1.3.2=build`, `|`), Poetry (`^1.2`, `~1.2`, bare `1.2.3`).
 * The `semver` package cannot do this: it rejects "1.3", "2.0rc1" and four-part releases.
 */

export interface Pep440Version {
  epoch: number;
  release: number[];
  /** Pre-release: a (alpha) < b (beta) < rc. */
  pre?: { label: 'a' | 'b' | 'rc'; n: number };
  post?: number;
  dev?: number;
  local?: string;
}

const VERSION_RE =
  /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(alpha|beta|preview|pre|rc|a|b|c)[-_.]?(\d*))?(?:-(\d+)|[-_.]?(?:post|rev|r)[-_.]?(\d*))?(?:[-_.]?dev[-_.]?(\d*))?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/i;

/** Parses a PEP 440 version ("2.2.2", "v1.3", "2.0rc1", "1.0.post2", "2.2.2+cu121"); undefined if it is not one. */
export function parseVersion(s: string): Pep440Version | undefined {
  const m = VERSION_RE.exec(s.trim());
  if (!m) return undefined;
  const v: Pep440Version = { epoch: m[1] ? Number(m[1]) : 0, release: m[2].split('.').map(Number) };
  if (m[3] !== undefined) {
    const l = m[3].toLowerCase();
    const label = l === 'alpha' || l === 'a' ? 'a' : l === 'beta' || l === 'b' ? 'b' : 'rc';
    v.pre = { label, n: m[4] ? Number(m[4]) : 0 };
  }
  // An unmatched group is undefined; "1.0.post" matches with an empty number, meaning 0.
  if (m[5] !== undefined) v.post = Number(m[5]);
  else if (m[6] !== undefined) v.post = m[6] ? Number(m[6]) : 0;
  if (m[7] !== undefined) v.dev = m[7] ? Number(m[7]) : 0;
  if (m[8] !== undefined) v.local = m[8].toLowerCase().replace(/[-_]/g, '.');
  return v;
}

const PRE_ORDER = { a: 0, b: 1, rc: 2 } as const;

function compareRelease(a: number[], b: number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** Sort key pieces per PEP 440: a dev release sorts before pre-releases; no pre-release after any. */
function preKey(v: Pep440Version): number[] {
  if (v.pre) return [PRE_ORDER[v.pre.label], v.pre.n];
  if (v.post === undefined && v.dev !== undefined) return [-1];
  return [Infinity];
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0 && !Number.isNaN(d)) return Math.sign(d);
  }
  return 0;
}

/** PEP 440 ordering, ignoring local labels unless both have one. Negative when a < b. */
export function compareVersions(a: Pep440Version, b: Pep440Version): number {
  return (
    Math.sign(a.epoch - b.epoch) ||
    compareRelease(a.release, b.release) ||
    compareKeys(preKey(a), preKey(b)) ||
    compareKeys([a.post ?? -Infinity], [b.post ?? -Infinity]) ||
    compareKeys([a.dev ?? Infinity], [b.dev ?? Infinity]) ||
    (a.local !== undefined && b.local !== undefined ? compareLocal(a.local, b.local) : 0)
  );
}

function compareLocal(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return Math.sign(d);
    } else if (nx !== ny) {
      return nx ? 1 : -1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

export type SpecOp = '==' | '!=' | '>=' | '<=' | '>' | '<' | '===';

export interface SpecClause {
  op: SpecOp;
  /** The version text as written in the clause (without `.*`). */
  version: string;
  parsed?: Pep440Version;
  /** `==1.3.*` / conda `=1.3`: a prefix match on the release. */
  wildcard: boolean;
}

/** A specifier: any of the alternatives (`|`), each all of its clauses (`,`). An empty clause list allows any version. */
export interface VersionSpec {
  anyOf: SpecClause[][];
}

const CLAUSE_RE = /^(===|==|!=|~=|>=|<=|>|<|=|\^|~)?\s*(v?[0-9][0-9a-zA-Z.!+_-]*?)(\.\*)?$/;

/**
 * Parses a version specifier from requirements.txt, pyproject (PEP 621 or Poetry), setup.cfg or a
 * conda environment. A leading package name and environment markers are ignored
 * ("torch>=2.0; python_version>'3.8'" reads as ">=2.0"). Undefined when it cannot be read.
 */
export function parseVersionSpec(spec: string): VersionSpec | undefined {
  let s = spec.trim().replace(/;.*$/, '').replace(/#.*$/, '').trim();
  // "torch[cuda] >= 2.0", "numpy=1.24", "numpy 1.24": drop the name.
  if (!/^v?\d/.test(s)) {
    const name = /^[A-Za-z][A-Za-z0-9._-]*(?:\[[^\]]*\])?/.exec(s);
    if (name && (name[0].length === s.length || /^[\s<>=!~^(@*]/.test(s.slice(name[0].length)))) {
      s = s.slice(name[0].length).trim();
    }
  }
  s = s.replace(/^\((.*)\)$/, '$1').trim();
  if (s === '' || s === '*') return { anyOf: [[]] };
  // A direct reference (name @ url) pins no version.
  if (s.startsWith('@')) return undefined;

  const anyOf: SpecClause[][] = [];
  for (const alt of s.split(/\s*\|\|?\s*/)) {
    const group: SpecClause[] = [];
    for (let part of alt.split(/\s*,\s*|\s+(?=[<>=!~^])/)) {
      part = part.trim();
      if (part === '' || part === '*') continue;
      // conda "=1.3.2=py38_0" / "1.3.2=py38_0": the build string does not constrain the version.
      const conda = /^(=?)([^=<>!~\s]+)=[^=]+$/.exec(part);
      if (conda) part = `=${conda[2]}`;
      const clauses = parseClause(part);
      if (!clauses) return undefined;
      group.push(...clauses);
    }
    anyOf.push(group);
  }
  return { anyOf };
}

function parseClause(part: string): SpecClause[] | undefined {
  const m = CLAUSE_RE.exec(part);
  if (!m) return undefined;
  const op = m[1] ?? '';
  const text = m[2];
  const wildcard = m[3] !== undefined;
  if (op === '===') return [{ op: '===', version: text + (m[3] ?? ''), wildcard: false }];
  const parsed = parseVersion(text);
  if (!parsed) return undefined;
  const clause = (o: SpecOp, v: Pep440Version, wc = false): SpecClause => ({ op: o, version: formatVersion(v), parsed: v, wildcard: wc });
  switch (op) {
    case '':
    case '==':
      return [clause('==', parsed, wildcard)];
    case '!=':
      return [clause('!=', parsed, wildcard)];
    case '=':
      // conda: "=1.3.2" means 1.3.2.*
      return [clause('==', parsed, true)];
    case '>=': case '<=': case '>': case '<':
      if (wildcard) return undefined;
      return [clause(op, parsed)];
    case '~=': {
      // ~=2.2 → >=2.2, ==2.*; ~=1.4.5 → >=1.4.5, ==1.4.*
      if (parsed.release.length < 2 || wildcard) return undefined;
      const prefix = { epoch: parsed.epoch, release: parsed.release.slice(0, -1) };
      return [clause('>=', parsed), clause('==', prefix, true)];
    }
    case '^': {
      // Poetry: ^1.2.3 → >=1.2.3,<2.0.0; ^0.2.3 → >=0.2.3,<0.3.0; ^0.0.3 → >=0.0.3,<0.0.4
      const r = parsed.release;
      let i = r.findIndex((x) => x !== 0);
      if (i < 0) i = r.length - 1;
      const upper = r.slice(0, i + 1).map((x, j) => (j === i ? x + 1 : x));
      return [clause('>=', parsed), clause('<', { epoch: parsed.epoch, release: upper })];
    }
    case '~': {
      // Poetry: ~1.2.3 → >=1.2.3,<1.3.0; ~1.2 → >=1.2,<1.3; ~1 → >=1,<2
      const r = parsed.release;
      const keep = r.length === 1 ? 1 : 2;
      const upper = r.slice(0, keep).map((x, j) => (j === keep - 1 ? x + 1 : x));
      return [clause('>=', parsed), clause('<', { epoch: parsed.epoch, release: upper })];
    }
  }
  return undefined;
}

export function formatVersion(v: Pep440Version): string {
  let s = (v.epoch ? `${v.epoch}!` : '') + v.release.join('.');
  if (v.pre) s += `${v.pre.label}${v.pre.n}`;
  if (v.post !== undefined) s += `.post${v.post}`;
  if (v.dev !== undefined) s += `.dev${v.dev}`;
  if (v.local !== undefined) s += `+${v.local}`;
  return s;
}

function releasePrefixMatches(v: Pep440Version, prefix: Pep440Version): boolean {
  if (v.epoch !== prefix.epoch) return false;
  // Trailing zeros of the candidate's release are implied: 1.3 matches 1.3.0.*.
  return prefix.release.every((x, i) => (v.release[i] ?? 0) === x);
}

function clauseHolds(v: Pep440Version, c: SpecClause): boolean {
  if (c.op === '===') return formatVersion(v).toLowerCase() === c.version.toLowerCase();
  const p = c.parsed;
  if (!p) return false;
  if (c.wildcard) {
    const m = releasePrefixMatches(v, p);
    return c.op === '!=' ? !m : m;
  }
  const cmp = compareVersions(v, p);
  switch (c.op) {
    // A version without a local label says nothing about it: 2.2.2 and 2.2.2+cu121 are the same release.
    case '==': return cmp === 0 && (p.local === undefined || v.local === undefined || v.local === p.local);
    case '!=': return cmp !== 0;
    case '>=': return cmp >= 0;
    case '<=': return cmp <= 0;
    // A post-release of V is not "> V" per PEP 440, unless V is itself a post-release.
    case '>': return cmp > 0 && !(p.post === undefined && v.post !== undefined && compareRelease(v.release, p.release) === 0 && !v.pre && !p.pre);
    // A pre-release of V is not "< V", unless V is itself a pre-release.
    case '<': return cmp < 0 && !(p.pre === undefined && v.pre !== undefined && compareRelease(v.release, p.release) === 0);
  }
}

/**
 * Whether a version satisfies a specifier. Pre-releases are not excluded by default, and a version
 * without a local label matches a pinned one (`2.2.2` satisfies `==2.2.2+cu121`).
 */
export function satisfies(version: Pep440Version | string, spec: VersionSpec | string): boolean {
  const v = typeof version === 'string' ? parseVersion(version) : version;
  const s = typeof spec === 'string' ? parseVersionSpec(spec) : spec;
  if (!v || !s) return false;
  return s.anyOf.some((group) => group.every((c) => clauseHolds(v, c)));
}

export type VersionAgreement = 'agree' | 'disagree' | 'unknown';

/**
 * Whether a card's version ("PyTorch 2.2") agrees with what the workspace specifies.
 * - A satisfied specifier agrees ("4.44.2" vs ">=4.40"); an unsatisfied one disagrees.
 * - A less precise card version stands for all versions it prefixes: "2.2" agrees with "==2.2.2".
 * - A specifier that constrains nothing ("*", only "!=" clauses that hold) is 'unknown';
 *   so is anything that cannot be parsed.
 */
export function versionAgrees(cardVersion: string, spec: string | VersionSpec): VersionAgreement {
  const card = parseVersion(cardVersion.trim().replace(/\.(?:x|\*)$/i, ''));
  const s = typeof spec === 'string' ? parseVersionSpec(spec) : spec;
  if (!card || !s) return 'unknown';
  const ok = cardCandidates(card, s).some((v) => s.anyOf.some((group) => group.every((c) => clauseHolds(v, c))));
  if (!ok) return 'disagree';
  const pins = s.anyOf.every((group) => group.some((c) => c.op !== '!='));
  return pins ? 'agree' : 'unknown';
}

/**
 * The versions a card's version may stand for. An exact card version stands for itself; a
 * shorter one ("2.2") for any release it prefixes, tried at the card's value, at each clause's
 * version under that prefix (and just above it), and at the top of the prefix range.
 */
function cardCandidates(card: Pep440Version, spec: VersionSpec): Pep440Version[] {
  const out: Pep440Version[] = [card];
  if (card.pre || card.post !== undefined || card.dev !== undefined || card.local !== undefined) return out;
  const n = card.release.length;
  const longest = Math.max(0, ...spec.anyOf.flat().map((c) => c.parsed?.release.length ?? 0));
  // As precise as the specifier: the card's version stands for itself only.
  if (n >= longest) return out;
  for (const group of spec.anyOf) {
    for (const c of group) {
      const p = c.parsed;
      if (!p || p.release.length <= n || !releasePrefixMatches(p, card)) continue;
      out.push({ ...p, local: undefined });
      const next = [...p.release];
      next[next.length - 1] += 1;
      out.push({ epoch: p.epoch, release: next });
      if (p.release[p.release.length - 1] > 0) {
        const prev = [...p.release];
        prev[prev.length - 1] -= 1;
        out.push({ epoch: p.epoch, release: prev });
      }
    }
  }
  out.push({ epoch: card.epoch, release: [...card.release, 999_999] });
  return out.filter((v) => releasePrefixMatches(v, card));
}
