// @ts-check
// The evidence panel's script. Runs inside the webview under a strict CSP.
// Every string that comes from the workspace or the card is put into the DOM with textContent
// (or as an attribute value through setAttribute), never parsed as HTML.
(function () {
  'use strict';

  /** @type {{ postMessage(m: unknown): void; getState(): any; setState(s: unknown): void }} */
  // @ts-ignore acquireVsCodeApi is injected by VS Code
  const vscode = acquireVsCodeApi();

  const VERDICTS = ['contradicted', 'unverified', 'supported', 'not-checkable'];
  const VERDICT_LABEL = { contradicted: 'Contradicted', unverified: 'Unverified', supported: 'Supported', 'not-checkable': 'Not checkable' };
  const VERDICT_ICON = { contradicted: '✗', unverified: '?', supported: '✓', 'not-checkable': '–' };
  const PHASE_LABEL = { card: 'Reading the card', index: 'Indexing the workspace', facts: 'Extracting facts', verify: 'Checking claims', done: 'Finished' };
  const STATUS_LABEL = { idle: 'Idle', queued: 'Queued', running: 'Running', done: 'Done', cancelled: 'Cancelled', failed: 'Failed' };

  const saved = vscode.getState() || {};
  /** UI state only; the results come from the host on every load. */
  const ui = {
    cardUri: typeof saved.cardUri === 'string' ? saved.cardUri : undefined,
    verdicts: new Set(Array.isArray(saved.verdicts) ? saved.verdicts : VERDICTS),
    /** Kinds hidden by the user (all shown by default, including kinds not seen yet). */
    hiddenKinds: new Set(Array.isArray(saved.kinds) ? saved.kinds : []),
    /** Claims whose expansion differs from the default (contradicted claims start open). */
    toggled: new Set(Array.isArray(saved.expanded) ? saved.expanded : []),
    /** Only claims whose verdict changed since the previous run (or that are new). */
    changedOnly: saved.changedOnly === true,
  };

  const model = {
    /** @type {any} */ run: undefined,
    /** @type {any} */ progress: undefined,
    /** @type {Map<string, any>} */ claims: new Map(),
    /** @type {any} */ summary: undefined,
    /** @type {string[]} */ notices: [],
    omitted: 0,
  };

  function saveState() {
    vscode.setState({
      cardUri: ui.cardUri,
      verdicts: [...ui.verdicts],
      kinds: [...ui.hiddenKinds],
      expanded: [...ui.toggled].slice(-500),
      changedOnly: ui.changedOnly,
    });
  }

  // ---- messages -------------------------------------------------------------------------------

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
    switch (m.type) {
      case 'reset':
        model.run = m.run;
        model.progress = undefined;
        model.claims.clear();
        model.summary = undefined;
        model.notices = [];
        model.omitted = 0;
        if (m.run && m.run.cardUri !== ui.cardUri) {
          if (ui.cardUri !== undefined) ui.toggled.clear();
          ui.cardUri = m.run.cardUri;
          saveState();
        }
        break;
      case 'run':
        model.run = m.run;
        break;
      case 'progress':
        model.progress = m.progress;
        break;
      case 'claims':
        if (Array.isArray(m.claims)) for (const c of m.claims) if (c && typeof c.id === 'string') model.claims.set(c.id, c);
        break;
      case 'summary':
        model.summary = m.summary;
        break;
      case 'notices':
        model.notices = Array.isArray(m.notices) ? m.notices.map(String) : [];
        model.omitted = Number(m.omitted) || 0;
        break;
      default:
        return;
    }
    scheduleRender();
  });

  // ---- rendering (throttled) ------------------------------------------------------------------

  let renderTimer = 0;
  let lastRender = 0;
  const RENDER_EVERY_MS = 120;

  function scheduleRender() {
    if (renderTimer) return;
    const wait = Math.max(0, lastRender + RENDER_EVERY_MS - Date.now());
    renderTimer = window.setTimeout(() => {
      renderTimer = 0;
      lastRender = Date.now();
      render();
    }, wait);
  }

  /**
   * @param {string} tag
   * @param {Record<string, string>} [attrs]
   * @param {(Node | string | undefined)[]} [children]
   */
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    if (attrs) for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (children) for (const c of children) if (c !== undefined) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
    return node;
  }

  /** @param {string} text */
  function text(text) {
    return document.createTextNode(text);
  }

  function render() {
    const focusKey = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.focusKey : undefined;
    renderHeader();
    renderProgress();
    renderDelta();
    renderFilters();
    renderNotices();
    renderClaims();
    if (focusKey) {
      const again = document.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`);
      if (again instanceof HTMLElement) again.focus();
    }
  }

  function renderHeader() {
    const run = model.run;
    const title = /** @type {HTMLElement} */ (document.getElementById('title'));
    title.textContent = run ? `CardCheck — ${run.cardLabel}` : 'CardCheck';
    const status = /** @type {HTMLElement} */ (document.getElementById('status'));
    status.replaceChildren();
    if (!run) return;
    status.className = `status status-${run.status}`;
    const parts = [STATUS_LABEL[run.status] || run.status];
    if (typeof run.durationMs === 'number' && run.status !== 'running') parts.push(`in ${(run.durationMs / 1000).toFixed(1)} s`);
    status.append(text(parts.join(' ')));
    if (run.message) status.append(el('div', { class: 'run-message' }, [run.message]));
    const cancel = /** @type {HTMLButtonElement} */ (document.getElementById('cancel'));
    cancel.disabled = run.status !== 'running' && run.status !== 'queued';
    const verify = /** @type {HTMLButtonElement} */ (document.getElementById('verify'));
    verify.disabled = !run.cardUri;
  }

  function renderProgress() {
    const box = /** @type {HTMLElement} */ (document.getElementById('progress'));
    box.replaceChildren();
    const p = model.progress;
    if (!p) return;
    const done = Math.min(p.claimsDone, p.claimsTotal || p.claimsDone);
    const bar = el('progress', { max: String(Math.max(1, p.claimsTotal)), value: String(done), 'aria-label': 'Claims checked' });
    if (p.phase === 'done') bar.setAttribute('value', String(Math.max(1, p.claimsTotal)));
    const facts = [
      `${PHASE_LABEL[p.phase] || p.phase}`,
      `${p.claimsDone}/${p.claimsTotal} claims`,
      `${p.filesScanned} files scanned`,
    ];
    if (typeof p.rssMb === 'number') facts.push(`worker memory ${Math.round(p.rssMb)} MB`);
    box.append(el('div', { class: 'progress-text', id: 'progress-text' }, [facts.join(' · ')]), bar);
    const llm = llmStatsText(model.run && model.run.llm);
    if (llm) box.append(el('div', { class: 'llm-stats', id: 'llm-stats' }, [llm]));
  }

  /**
   * What the LLM pass spent and achieved (`done.stats.llm`), or '' when it did not run.
   * @param {any} s
   */
  function llmStatsText(s) {
    if (!s || typeof s !== 'object') return '';
    const n = (/** @type {unknown} */ v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
    const tokens = n(s.promptTokens) + n(s.completionTokens);
    return [
      'LLM pass',
      `${n(s.requests)} request${n(s.requests) === 1 ? '' : 's'}`,
      `${tokens.toLocaleString('en-US')} tokens`,
      `${(n(s.ms) / 1000).toFixed(1)} s`,
      `${n(s.accepted)} accepted`,
      `${n(s.rejected)} rejected`,
    ].join(' · ');
  }

  function counts() {
    /** @type {Record<string, number>} */
    const byVerdict = { contradicted: 0, unverified: 0, supported: 0, 'not-checkable': 0 };
    /** @type {Map<string, number>} */
    const byKind = new Map();
    let changed = 0;
    let added = 0;
    for (const c of model.claims.values()) {
      byVerdict[c.verdict] = (byVerdict[c.verdict] || 0) + 1;
      byKind.set(c.kind, (byKind.get(c.kind) || 0) + 1);
      if (isChanged(c)) {
        if (c.change.from === undefined) added++;
        else changed++;
      }
    }
    return { byVerdict, byKind, changed, added };
  }

  /** @param {any} c */
  function isChanged(c) {
    return Boolean(c && c.change && typeof c.change === 'object' && typeof c.change.reason === 'string');
  }

  /** @param {number} n @param {string} one @param {string} [many] */
  function plural(n, one, many) {
    return `${n} ${n === 1 ? one : many || `${one}s`}`;
  }

  /** What changed since the previous run, at a glance (per claim: the badge and the reason). */
  function renderDelta() {
    const box = /** @type {HTMLElement} */ (document.getElementById('delta'));
    box.replaceChildren();
    const b = model.run && model.run.baseline;
    const { changed, added } = counts();
    if (!b && changed === 0 && added === 0) return;
    const running = model.run && model.run.status === 'running';
    const parts = [plural(b ? b.changed : changed, 'claim changed verdict', 'claims changed verdict'), `${b ? b.added : added} new`];
    if (b) parts.push(`${b.removedCount} removed`);
    const line = el('p', { class: 'delta-summary', id: 'delta-summary' }, [
      el('strong', {}, ['Since the previous run: ']),
      `${parts.join(', ')}${running ? ' so far' : ''}.`,
    ]);
    if (b && typeof b.source === 'string') line.setAttribute('title', `Compared with ${b.source}`);
    box.append(line);
    if (b && Array.isArray(b.removed) && b.removed.length > 0) {
      const list = el('ul', { class: 'delta-removed' });
      for (const r of b.removed) list.append(el('li', {}, [`Removed: “${r.text}” (was ${VERDICT_LABEL[r.verdict] || r.verdict})`]));
      if (b.removedCount > b.removed.length) list.append(el('li', {}, [`… and ${b.removedCount - b.removed.length} more`]));
      box.append(list);
    }
  }

  function renderFilters() {
    const box = /** @type {HTMLElement} */ (document.getElementById('filters'));
    box.replaceChildren();
    const { byVerdict, byKind, changed, added } = counts();
    const verdictSet = el('fieldset', { class: 'filter-group' }, [el('legend', {}, ['Verdict'])]);
    for (const v of VERDICTS) {
      const id = `f-verdict-${v}`;
      const input = el('input', { type: 'checkbox', id, 'data-focus-key': id, 'data-verdict': v });
      /** @type {HTMLInputElement} */ (input).checked = ui.verdicts.has(v);
      input.addEventListener('change', () => {
        if (/** @type {HTMLInputElement} */ (input).checked) ui.verdicts.add(v);
        else ui.verdicts.delete(v);
        saveState();
        render();
      });
      verdictSet.append(el('label', { for: id, class: `verdict-${v}` }, [input, ` ${VERDICT_ICON[v]} ${VERDICT_LABEL[v]} (${byVerdict[v] || 0})`]));
    }
    box.append(verdictSet);
    if (changed + added > 0 || (model.run && model.run.baseline)) {
      const id = 'f-changed';
      const input = el('input', { type: 'checkbox', id, 'data-focus-key': id });
      /** @type {HTMLInputElement} */ (input).checked = ui.changedOnly;
      input.addEventListener('change', () => {
        ui.changedOnly = /** @type {HTMLInputElement} */ (input).checked;
        saveState();
        render();
      });
      box.append(el('fieldset', { class: 'filter-group' }, [el('legend', {}, ['Since the previous run']), el('label', { for: id, class: 'changed-filter' }, [input, ` Changed only (${changed + added})`])]));
    }
    if (byKind.size > 0) {
      const kindSet = el('fieldset', { class: 'filter-group' }, [el('legend', {}, ['Kind'])]);
      for (const [kind, n] of [...byKind.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
        const id = `f-kind-${kind}`;
        const input = el('input', { type: 'checkbox', id, 'data-focus-key': id, 'data-kind': kind });
        /** @type {HTMLInputElement} */ (input).checked = !ui.hiddenKinds.has(kind);
        input.addEventListener('change', () => {
          if (/** @type {HTMLInputElement} */ (input).checked) ui.hiddenKinds.delete(kind);
          else ui.hiddenKinds.add(kind);
          saveState();
          render();
        });
        kindSet.append(el('label', { for: id }, [input, ` ${kind} (${n})`]));
      }
      box.append(kindSet);
    }
  }

  function renderNotices() {
    const box = /** @type {HTMLElement} */ (document.getElementById('notices'));
    box.replaceChildren();
    if (model.notices.length === 0) return;
    const list = el('ul', { class: 'notices' });
    for (const n of model.notices) list.append(el('li', {}, [n]));
    if (model.omitted > 0) list.append(el('li', {}, [`… and ${model.omitted} more (see the CardCheck output channel)`]));
    box.append(el('h2', {}, ['Notices']), list);
  }

  /** @param {any} c */
  function isExpanded(c) {
    const byDefault = c.verdict === 'contradicted' || (isChanged(c) && c.change.from !== undefined);
    return ui.toggled.has(c.id) ? !byDefault : byDefault;
  }

  function sortedClaims() {
    return [...model.claims.values()].sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column || String(a.id).localeCompare(String(b.id)),
    );
  }

  function renderClaims() {
    const box = /** @type {HTMLElement} */ (document.getElementById('claims'));
    box.replaceChildren();
    if (model.claims.size === 0) {
      const running = model.run && (model.run.status === 'running' || model.run.status === 'queued');
      box.append(el('p', { class: 'empty' }, [running ? 'Waiting for the first results…' : 'No claims to show. Run “CardCheck: Verify Model Card”.']));
      return;
    }
    const all = sortedClaims();
    let shown = 0;
    for (const v of VERDICTS) {
      if (!ui.verdicts.has(v)) continue;
      const claims = all.filter((c) => c.verdict === v && !ui.hiddenKinds.has(c.kind) && (!ui.changedOnly || isChanged(c)));
      if (claims.length === 0) continue;
      shown += claims.length;
      const list = el('ul', { class: 'claim-list', role: 'list' });
      for (const c of claims) list.append(renderClaim(c));
      box.append(el('section', { class: `group group-${v}`, 'data-verdict': v }, [el('h2', {}, [`${VERDICT_ICON[v]} ${VERDICT_LABEL[v]} (${claims.length})`]), list]));
    }
    if (shown === 0) box.append(el('p', { class: 'empty' }, ['No claims match the filters.']));
  }

  /** @param {any} c */
  function renderClaim(c) {
    const open = isExpanded(c);
    const bodyId = `body-${c.id}`;
    const head = el(
      'button',
      { type: 'button', class: 'claim-head', 'aria-expanded': String(open), 'aria-controls': bodyId, 'data-focus-key': `head:${c.id}`, 'data-claim': c.id },
      [
        el('span', { class: 'icon', 'aria-hidden': 'true' }, [VERDICT_ICON[c.verdict] || '']),
        el('span', { class: 'claim-text' }, [c.text]),
        el('span', { class: 'kind' }, [c.kind]),
        el('span', { class: 'line' }, [`line ${c.range.start.line}`]),
        changeBadge(c),
        c.stale ? el('span', { class: 'stale', title: 'The card was edited here since this was checked' }, ['edited']) : undefined,
      ],
    );
    head.addEventListener('click', () => {
      if (ui.toggled.has(c.id)) ui.toggled.delete(c.id);
      else ui.toggled.add(c.id);
      saveState();
      render();
    });
    head.addEventListener('keydown', (e) => moveFocus(e, head));

    const body = el('div', { class: 'claim-body', id: bodyId });
    if (!open) body.hidden = true;
    if (c.cardValue !== undefined || c.codeValue !== undefined) {
      body.append(el('p', { class: 'values' }, [el('strong', {}, ['Card: ']), c.cardValue ?? '—', '   ', el('strong', {}, ['Code: ']), c.codeValue ?? '—']));
    }
    if (c.explanation) body.append(el('p', { class: 'explanation' }, [c.explanation]));
    if (isChanged(c)) body.append(renderChange(c.change));
    if (Array.isArray(c.evidence) && c.evidence.length > 0) {
      const list = el('ol', { class: 'evidence' });
      c.evidence.forEach((/** @type {any} */ e, /** @type {number} */ index) => {
        const link = el('a', { href: '#', class: 'evidence-link', 'data-claim': c.id, 'data-index': String(index), 'data-focus-key': `ev:${c.id}:${index}` }, [
          `${e.path}:${e.range.start.line}`,
        ]);
        link.addEventListener('click', (ev) => {
          ev.preventDefault();
          vscode.postMessage({ type: 'openEvidence', claimId: c.id, index });
        });
        const badge = e.source === 'llm'
          ? el('span', { class: 'badge badge-llm', title: 'Found by the LLM pass; the engine re-checked the cited line' }, ['LLM'])
          : undefined;
        list.append(
          el('li', { class: `stance-${e.stance}` }, [link, badge, el('span', { class: 'stance' }, [` ${e.stance} · ${e.source}`]), el('pre', { class: 'snippet' }, [e.snippet])]),
        );
      });
      body.append(list);
    } else {
      body.append(el('p', { class: 'no-evidence' }, ['No evidence found in the workspace.']));
    }
    const reveal = el('a', { href: '#', class: 'reveal-link', 'data-claim': c.id, 'data-focus-key': `rv:${c.id}` }, [`Show in card (line ${c.range.start.line})`]);
    reveal.addEventListener('click', (ev) => {
      ev.preventDefault();
      vscode.postMessage({ type: 'revealClaim', claimId: c.id });
    });
    body.append(reveal);
    return el('li', { class: `claim verdict-${c.verdict}${c.stale ? ' is-stale' : ''}`, 'data-claim': c.id }, [head, body]);
  }

  /**
   * "changed" (the verdict differs from the previous run's) or "new"; the reason is its tooltip.
   * @param {any} c
   */
  function changeBadge(c) {
    if (!isChanged(c)) return undefined;
    const from = c.change.from;
    const label = from === undefined ? 'new' : `changed: was ${(VERDICT_LABEL[from] || String(from)).toLowerCase()}`;
    return el('span', { class: `badge badge-changed${from === undefined ? ' badge-new' : ''}`, title: c.change.reason, 'data-change': from === undefined ? 'new' : 'changed' }, [label]);
  }

  /** @param {any} change */
  function renderChange(change) {
    const box = el('div', { class: 'change' }, [el('p', { class: 'change-reason' }, [el('strong', {}, ['Since the previous run: ']), change.reason])]);
    if (Array.isArray(change.evidence) && change.evidence.length > 0) {
      const list = el('ul', { class: 'change-evidence' });
      for (const e of change.evidence) {
        const what = e.change === 'changed' ? 'changed' : e.change === 'added' ? 'new' : 'gone';
        const item = el('li', { class: `evidence-${e.change}` }, [`${what} ${e.path}:${e.line} `, el('code', {}, [e.snippet])]);
        if (e.change === 'changed' && typeof e.was === 'string') item.append(' (was ', el('code', {}, [e.was]), ')');
        list.append(item);
      }
      box.append(list);
    }
    return box;
  }

  /**
   * Arrow keys move between claim headers; Home/End jump to the first/last.
   * @param {KeyboardEvent} e
   * @param {HTMLElement} from
   */
  function moveFocus(e, from) {
    const heads = /** @type {HTMLElement[]} */ ([...document.querySelectorAll('.claim-head')]);
    const i = heads.indexOf(from);
    let target;
    if (e.key === 'ArrowDown') target = heads[i + 1];
    else if (e.key === 'ArrowUp') target = heads[i - 1];
    else if (e.key === 'Home') target = heads[0];
    else if (e.key === 'End') target = heads[heads.length - 1];
    if (target) {
      e.preventDefault();
      target.focus();
    }
  }

  document.getElementById('verify')?.addEventListener('click', () => vscode.postMessage({ type: 'verify' }));
  document.getElementById('cancel')?.addEventListener('click', () => vscode.postMessage({ type: 'cancel' }));

  vscode.postMessage({ type: 'ready' });
})();
