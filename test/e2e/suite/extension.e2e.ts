import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CardCheckApi, RunRecord, VerifyAllResult } from '../../../src/extension/api.js';
import { startScriptedLlm } from '../support/scriptedLlm.js';

/*
 * Runs inside a real VS Code extension host (code-server 1.139 here, or a downloaded VS Code via
 * @vscode/test-electron). The workspace is the multi-root one from launch/prepareWorkspace.ts:
 * folders `example` (the bundled example and its card), `docx` (the card as Word) and `big`
 * (a generated 300-claim card).
 */

const EXTENSION_ID = 'cardcheck.cardcheck';

async function api(): Promise<CardCheckApi> {
  const ext = vscode.extensions.getExtension<CardCheckApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed in this VS Code`);
  return ext.isActive ? ext.exports : ext.activate();
}

function folder(name: string): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.find((w) => w.name === name);
  assert.ok(f, `workspace folder ${name} missing`);
  return f.uri;
}

function exampleCard(): vscode.Uri {
  const names = ['README.md', 'card.md', 'MODEL_CARD.md'];
  const manifest = join(folder('example').fsPath, '..', 'e2e-fixture.json');
  try {
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as { exampleCard?: string };
    if (m.exampleCard) return vscode.Uri.file(m.exampleCard);
  } catch {
    // Fall back to the usual names.
  }
  return vscode.Uri.joinPath(folder('example'), names[0]!);
}

const bigCard = (): vscode.Uri => vscode.Uri.joinPath(folder('big'), 'card.md');
const docxCard = (): vscode.Uri => vscode.Uri.joinPath(folder('docx'), 'card.docx');

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function lineOf(doc: vscode.TextDocument, quote: string): number {
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(quote)) return i;
  throw new Error(`"${quote}" not found in ${doc.uri.toString()}`);
}

function alive(pid: number): boolean {
  if (process.platform === 'linux') {
    try {
      return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function diagnosticsOn(uri: vscode.Uri, line: number): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.range.start.line === line);
}

async function restore(doc: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
  await vscode.workspace.applyEdit(edit);
  await doc.save();
}

describe('CardCheck in VS Code', function () {
  this.timeout(120_000);

  it('verifies the bundled example card and reports diagnostics with lines, severities and both sides', async () => {
    const cc = await api();
    const card = exampleCard();
    const doc = await vscode.workspace.openTextDocument(card);
    await vscode.window.showTextDocument(doc);
    const t0 = Date.now();
    const outcome = await cc.verify(card, { showPanel: true });
    console.log(`    example card verified in ${Date.now() - t0} ms: ${outcome.claims} claims`);
    assert.equal(outcome.status, 'done', outcome.message);
    assert.ok(outcome.claims >= 10, `expected at least 10 claims, got ${outcome.claims}`);

    const all = vscode.languages.getDiagnostics(card);
    assert.ok(all.length > 0, 'no diagnostics on the card');
    assert.ok(all.every((d) => d.source === 'CardCheck'));

    // Epochs: the card says 3, scripts/launch.sh passes --epochs 4.
    const epochsLine = lineOf(doc, '| Epochs | 3 |');
    const [epochs] = diagnosticsOn(card, epochsLine);
    assert.ok(epochs, `no diagnostic on line ${epochsLine + 1} (epochs)`);
    assert.equal(epochs.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(epochs.message, /^Contradicted: card says .*3; scripts\/launch\.sh:\d+ has 4/);
    assert.equal(epochs.code, 'contradicted');
    const related = epochs.relatedInformation?.[0];
    assert.ok(related, 'no related information');
    assert.ok(related.location.uri.path.endsWith('/scripts/launch.sh'), related.location.uri.toString());
    const launch = await vscode.workspace.openTextDocument(related.location.uri);
    assert.match(launch.lineAt(related.location.range.start.line).text, /--epochs 4/);

    // Max length: the card says 512 tokens, train.py has MAX_LENGTH = 256.
    const lengthLine = lineOf(doc, 'truncated to 512 tokens');
    const [length] = diagnosticsOn(card, lengthLine);
    assert.ok(length, 'no diagnostic on the 512-tokens line');
    assert.equal(length.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(length.message, /512.*train\.py:\d+ has 256/);

    // A supported claim raises nothing; unverified ones are Information.
    assert.equal(diagnosticsOn(card, lineOf(doc, '| Batch size (per device) | 32 |')).length, 0);
    const unverified = all.filter((d) => d.code === 'unverified');
    assert.ok(unverified.length > 0, 'expected at least one unverified claim');
    assert.ok(unverified.every((d) => d.severity === vscode.DiagnosticSeverity.Information));
    assert.equal(cc.panel().visible, true, 'the panel opened beside the card');
  });

  it('shows a hover and offers quick fixes; replacing the value makes the diagnostic go away', async () => {
    const card = exampleCard();
    const doc = await vscode.workspace.openTextDocument(card);
    await vscode.window.showTextDocument(doc);
    const original = doc.getText();
    const line = lineOf(doc, '| Epochs | 3 |');
    const pos = new vscode.Position(line, doc.lineAt(line).text.indexOf('3'));

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', card, pos);
    const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(hoverText, /contradicted/);
    assert.match(hoverText, /launch\.sh/);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', card, new vscode.Range(pos, pos));
    const titles = actions.map((a) => a.title);
    const replace = actions.find((a) => a.title.startsWith('Replace 3 with 4'));
    assert.ok(replace?.edit, `no replace fix in ${JSON.stringify(titles)}`);
    assert.ok(titles.some((t) => t.startsWith('Open evidence: scripts/launch.sh')), JSON.stringify(titles));
    assert.ok(titles.some((t) => t.startsWith('Ignore this claim')), JSON.stringify(titles));

    try {
      assert.ok(await vscode.workspace.applyEdit(replace.edit));
      assert.match(doc.lineAt(line).text, /\| Epochs \| 4 \|/);
      await waitFor('the stale diagnostic to go away', () => diagnosticsOn(card, line).length === 0);
    } finally {
      await restore(doc, original);
    }
  });

  it('moves diagnostics with edits above them and honours the ignore marker on the next run', async () => {
    const cc = await api();
    const card = exampleCard();
    const doc = await vscode.workspace.openTextDocument(card);
    await vscode.window.showTextDocument(doc);
    const original = doc.getText();
    try {
      await cc.verify(card, { showPanel: false });
      const epochsLine = lineOf(doc, '| Epochs | 3 |');
      assert.equal(diagnosticsOn(card, epochsLine).length, 1);
      // Two lines inserted above the table (below the front matter) move the diagnostic down by two.
      const insertAt = lineOf(doc, '## Training');
      const edit = new vscode.WorkspaceEdit();
      edit.insert(card, new vscode.Position(insertAt, 0), 'Inserted line one.\nInserted line two.\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitFor('the diagnostic to move', () => diagnosticsOn(card, epochsLine + 2).length === 1);
      assert.equal(diagnosticsOn(card, epochsLine).length, 0);

      // Ignore the 512-tokens claim: its diagnostic goes at once, and the next run skips it.
      const lengthLine = lineOf(doc, 'truncated to 512 tokens');
      const pos = new vscode.Position(lengthLine, 5);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', card, new vscode.Range(pos, pos));
      const ignore = actions.find((a) => a.title.startsWith('Ignore this claim'));
      assert.ok(ignore?.edit, JSON.stringify(actions.map((a) => a.title)));
      assert.ok(await vscode.workspace.applyEdit(ignore.edit));
      assert.match(doc.lineAt(lengthLine).text, /<!-- cardcheck-ignore -->$/);
      await waitFor('the ignored diagnostic to go away', () => diagnosticsOn(card, lengthLine).length === 0);
      await doc.save();
      const again = await cc.verify(card, { showPanel: false });
      assert.equal(again.status, 'done');
      assert.equal(diagnosticsOn(card, lengthLine).length, 0, 'the next run reported the ignored claim');
      assert.ok(!cc.results(card).some((c) => c.range.start.line === lengthLine + 1 && c.verdict !== 'not-checkable'), 'the engine still checked the ignored claim');
      assert.equal(diagnosticsOn(card, lineOf(doc, '| Epochs | 3 |')).length, 1, 'other claims still reported');
    } finally {
      await restore(doc, original);
    }
  });

  it('verifies a .docx card through a read-only virtual document that carries the diagnostics', async () => {
    const cc = await api();
    const card = docxCard();
    const outcome = await cc.verify(card, { showPanel: false });
    assert.equal(outcome.status, 'done', outcome.message);
    const textUri = cc.diagnosticsUri(card);
    assert.equal(textUri.scheme, 'cardcheck-docx');
    const doc = await waitFor('the virtual document', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === textUri.toString()));
    const lengthLine = lineOf(doc, '512 tokens');
    const diags = diagnosticsOn(textUri, lengthLine);
    assert.equal(diags.length, 1, `diagnostics: ${JSON.stringify(vscode.languages.getDiagnostics(textUri).map((d) => [d.range.start.line, d.message]))}`);
    assert.equal(diags[0]!.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(diags[0]!.message, /256/);
    // Read-only: only "open evidence" is offered, no edits of the Word text.
    const pos = new vscode.Position(lengthLine, 3);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', textUri, new vscode.Range(pos, pos));
    assert.ok(actions.length > 0);
    assert.ok(actions.every((a) => a.title.startsWith('Open evidence') && !a.edit), JSON.stringify(actions.map((a) => a.title)));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', textUri, pos);
    assert.ok(hovers.length > 0, 'no hover on the docx claim');
  });

  it('cancel kills the worker within a second and keeps what was decided', async () => {
    const cc = await api();
    const card = bigCard();
    let cancelledAt = 0;
    let pid: number | undefined;
    const sub = cc.onDidReceiveClaim((e) => {
      if (e.card !== card.toString() || cancelledAt) return;
      pid = cc.workerPid(card);
      cancelledAt = Date.now();
      void cc.cancel(card);
    });
    try {
      const outcome = await cc.verify(card, { showPanel: false });
      const elapsed = Date.now() - cancelledAt;
      console.log(`    cancel took ${elapsed} ms after ${outcome.claims} claims`);
      assert.equal(outcome.status, 'cancelled');
      assert.ok(elapsed < 1000, `cancel took ${elapsed} ms`);
      assert.ok(pid !== undefined && !alive(pid), `worker ${pid} still alive`);
      assert.ok(outcome.claims >= 1 && outcome.claims < 300, `claims kept: ${outcome.claims}`);
      assert.equal(cc.results(card).length, outcome.claims);
    } finally {
      sub.dispose();
    }
  });

  it('reports a worker crash and keeps the claims decided before it', async () => {
    const cc = await api();
    const card = bigCard();
    let killed = false;
    const sub = cc.onDidReceiveClaim((e) => {
      if (e.card !== card.toString() || killed) return;
      killed = true;
      const pid = cc.workerPid(card);
      assert.ok(pid);
      process.kill(pid, 'SIGKILL');
    });
    try {
      const outcome = await cc.verify(card, { showPanel: false });
      assert.equal(outcome.status, 'failed');
      assert.match(outcome.message ?? '', /killed by SIGKILL/);
      assert.match(outcome.message ?? '', /kept/);
      const kept = cc.results(card).length;
      assert.ok(kept >= 1 && kept < 300, `claims kept: ${kept}`);
      await waitFor('diagnostics of the kept claims', () => vscode.languages.getDiagnostics(card).length > 0);
    } finally {
      sub.dispose();
    }
  });

  it('a second Verify of a running card restarts it instead of running two workers', async () => {
    const cc = await api();
    const card = bigCard();
    let second: Promise<Awaited<ReturnType<CardCheckApi['verify']>>> | undefined;
    let firstPid: number | undefined;
    const sub = cc.onDidReceiveClaim((e) => {
      if (e.card !== card.toString() || second) return;
      firstPid = cc.workerPid(card);
      second = cc.verify(card, { showPanel: false });
    });
    try {
      const first = await cc.verify(card, { showPanel: false });
      assert.equal(first.status, 'cancelled');
      assert.ok(second, 'the second verify never started');
      assert.ok(firstPid !== undefined && !alive(firstPid), 'the first worker is still alive');
      const done = await second;
      assert.equal(done.status, 'done');
      assert.ok(done.claims >= 300, `claims: ${done.claims}`);
      assert.equal(done.claims, done.engineClaims, 'claims were lost between the worker and the host');
    } finally {
      sub.dispose();
    }
  });

  it('delivers all results of a 300-claim card with the panel hidden, with bounded host memory', async () => {
    const cc = await api();
    const card = bigCard();
    await vscode.commands.executeCommand('cardcheck.showPanel');
    await waitFor('the panel', () => cc.panel().visible);
    // Hide the panel behind an editor in its own group.
    const group = vscode.window.tabGroups.all.find((g) => g.tabs.some((t) => t.isActive && t.input instanceof vscode.TabInputWebview));
    assert.ok(group, 'no editor group shows the panel');
    const other = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder('big'), 'configs', 'variants.yaml'));
    await vscode.window.showTextDocument(other, { viewColumn: group.viewColumn, preview: false });
    await waitFor('the panel to be hidden', () => !cc.panel().visible);

    const heapBefore = process.memoryUsage().heapUsed;
    const outcome = await cc.verify(card, { showPanel: false });
    const heapAfter = process.memoryUsage().heapUsed;
    assert.equal(outcome.status, 'done', outcome.message);
    // Every result the engine decided reached the host (the card has 300 claim lines; the engine may split one).
    assert.ok(outcome.claims >= 300, `claims: ${outcome.claims}`);
    assert.equal(outcome.claims, outcome.engineClaims, 'claims were lost between the worker and the host');
    const results = cc.results(card);
    assert.equal(results.length, outcome.claims);
    assert.equal(new Set(results.map((c) => c.id)).size, results.length);
    for (let i = 1; i <= 300; i++) assert.ok(results.some((c) => new RegExp(`variant ${i}\\b`).test(c.text)), `no result for variant ${i}`);
    const reportable = results.filter((c) => c.verdict === 'contradicted' || c.verdict === 'unverified').length;
    await waitFor('all diagnostics', () => vscode.languages.getDiagnostics(card).length === reportable);

    const stats = cc.panel().stats;
    assert.ok(stats, 'no panel feed');
    assert.equal(cc.panel().visible, false);
    assert.equal(stats.postedWhileNotReady, 0, 'messages were posted to the hidden panel');
    assert.equal(stats.pendingClaims, 0, 'claims queued for the hidden panel');
    const growthMb = (heapAfter - heapBefore) / (1024 * 1024);
    console.log(`    300 claims with the panel hidden: host heap ${Math.round(heapBefore / 1048576)} -> ${Math.round(heapAfter / 1048576)} MB`);
    assert.ok(growthMb < 64, `host heap grew by ${growthMb.toFixed(1)} MB`);

    // Shown again, the panel gets the latest state replayed.
    const repliesBefore = stats.replays;
    await vscode.commands.executeCommand('cardcheck.showPanel');
    await waitFor('the replay', () => (cc.panel().stats?.replays ?? 0) > repliesBefore, 15_000);
  });

  it('runs the LLM pass against a local endpoint with the key from SecretStorage, and the key shows nowhere', async () => {
    const cc = await api();
    const card = exampleCard();
    const key = `sk-e2e-${randomBytes(16).toString('hex')}`;
    const server = await startScriptedLlm();
    const config = vscode.workspace.getConfiguration('cardcheck');
    const settings = { 'llm.enabled': true, 'llm.baseUrl': server.url, 'llm.model': 'scripted-e2e', 'llm.maxRequests': 20 };
    try {
      await cc.setLlmApiKey(key);
      for (const [k, v] of Object.entries(settings)) await config.update(k, v, vscode.ConfigurationTarget.Global);
      const t0 = Date.now();
      const outcome = await cc.verify(card, { showPanel: true });
      console.log(`    example card with the LLM pass in ${Date.now() - t0} ms: ${server.requests.length} model request(s)`);
      assert.equal(outcome.status, 'done', outcome.message);
      assert.ok(outcome.claims >= 10, `claims: ${outcome.claims}`);

      // The key went from SecretStorage through the job message to the worker's client, and nowhere else.
      assert.ok(server.requests.length > 0, 'the endpoint got no request');
      assert.ok(server.requests.every((r) => r.authorization === `Bearer ${key}`), 'a request came without the stored key');

      const snapshot = cc.panelSnapshot();
      const reset = snapshot.find((m) => m.type === 'reset');
      assert.ok(reset && reset.type === 'reset', 'no panel snapshot');
      const llm = reset.run.llm;
      assert.ok(llm, `stats.llm missing from the panel: ${JSON.stringify(reset.run)}`);
      assert.equal(llm.requests, server.requests.length);
      assert.equal(llm.accepted, 0);

      const output = cc.outputLines();
      assert.ok(output.some((l) => l.includes('LLM pass on: model scripted-e2e') && l.includes('API key set')), `no run line: ${output.slice(-20).join('\n')}`);
      assert.ok(output.some((l) => /LLM pass: \d+ request/.test(l)), 'no LLM stats line in the Output channel');

      const diagnostics = vscode.languages.getDiagnostics(card).map((d) => ({
        message: d.message,
        code: String(typeof d.code === 'object' ? d.code.value : d.code),
        related: d.relatedInformation?.map((r) => r.message),
      }));
      assert.ok(diagnostics.length > 0, 'no diagnostics');
      const seen = { diagnostics, output, panel: snapshot, results: cc.results(card) };
      for (const [where, value] of Object.entries(seen)) assert.ok(!JSON.stringify(value).includes(key), `the key appears in ${where}`);
    } finally {
      for (const k of Object.keys(settings)) await config.update(k, undefined, vscode.ConfigurationTarget.Global);
      await cc.setLlmApiKey('');
      await server.close();
    }
  });

  it('watch mode re-verifies the card when an evidence file is saved, once for a burst of saves, and says what changed', async () => {
    const cc = await api();
    const card = exampleCard();
    const key = card.toString();
    const config = vscode.workspace.getConfiguration('cardcheck');
    const cardDoc = await vscode.workspace.openTextDocument(card);
    const launch = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(card, '..', 'scripts', 'launch.sh'));
    const original = launch.getText();
    assert.match(original, /--epochs 4/);
    const epochsClaim = () => cc.results(card).find((c) => c.text.includes('Epochs') && c.cardValue === '3');
    const settle = () =>
      waitFor('watch runs to settle', () => cc.watched().pending.length === 0 && cc.runLog().every((r) => r.endedAt !== undefined), 60_000);
    const replaceInLaunch = async (from: string, to: string) => {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(launch.uri, new vscode.Range(0, 0, launch.lineCount, 0), launch.getText().replace(from, to));
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(await launch.save(), 'launch.sh was not saved');
    };
    await config.update('watch', true, vscode.ConfigurationTarget.Global);
    try {
      const first = await cc.verify(card, { showPanel: true });
      assert.equal(first.status, 'done', first.message);
      assert.equal(epochsClaim()?.verdict, 'contradicted');
      assert.ok(cc.watched().cards.includes(key), `not watched: ${JSON.stringify(cc.watched())}`);

      // Two saves within the debounce (4 -> 5 -> 3): one re-run, against the final file.
      const before = cc.runLog().length;
      const t0 = Date.now();
      await replaceInLaunch('--epochs 4', '--epochs 5');
      await replaceInLaunch('--epochs 5', '--epochs 3');
      await waitFor('the watch re-run to start', () => cc.runLog().slice(before).some((r) => r.trigger === 'watch'), 10_000);
      await settle();
      const reruns = cc.runLog().slice(before);
      console.log(`    watch re-run finished ${Date.now() - t0} ms after the first save: ${JSON.stringify(reruns.map((r) => [r.trigger, r.status]))}`);
      assert.deepEqual(reruns.map((r) => [r.card, r.trigger, r.status]), [[key, 'watch', 'done']], 'expected exactly one watch re-run of the card');

      const flipped = epochsClaim();
      assert.ok(flipped, 'no epochs claim after the re-run');
      assert.equal(flipped.verdict, 'supported');
      assert.ok(flipped.change, 'the flipped claim has no change');
      assert.equal(flipped.change.from, 'contradicted');
      assert.equal(flipped.change.to, 'supported');
      assert.match(flipped.change.reason, /scripts\/launch\.sh:\d+ changed/);
      assert.ok(flipped.change.evidence.some((e) => e.path === 'scripts/launch.sh' && e.change === 'changed' && /--epochs 3/.test(e.snippet) && /--epochs 4/.test(e.was ?? '')), JSON.stringify(flipped.change));
      const delta = cc.delta(card);
      assert.ok(delta && delta.changed >= 1, `run-level delta: ${JSON.stringify(delta)}`);
      // Claims that did not flip carry no change.
      assert.ok(cc.results(card).filter((c) => c.change).length <= delta.changed + delta.added);
      // The panel is sent the change with the claim, and the run's delta summary.
      const snapshot = cc.panelSnapshot();
      const reset = snapshot.find((m) => m.type === 'reset');
      assert.ok(reset && reset.type === 'reset' && reset.run.cardUri === key && reset.run.baseline?.changed === delta.changed, JSON.stringify(reset));
      const sent = snapshot.flatMap((m) => (m.type === 'claims' ? m.claims : [])).find((c) => c.id === flipped.id);
      assert.equal(sent?.change?.from, 'contradicted');
      await waitFor('the epochs diagnostic to go', () => diagnosticsOn(card, lineOf(cardDoc, '| Epochs | 3 |')).length === 0);

      // A file that gave no evidence does not trigger a run.
      const notes = vscode.Uri.joinPath(card, '..', 'notes-e2e.txt');
      assert.ok(!cc.results(card).some((c) => c.evidence.some((e) => e.path.endsWith('notes-e2e.txt'))));
      await vscode.workspace.fs.writeFile(notes, Buffer.from('notes\n'));
      try {
        const unrelated = await vscode.workspace.openTextDocument(notes);
        const quiet = cc.runLog().length;
        const edit = new vscode.WorkspaceEdit();
        edit.insert(unrelated.uri, new vscode.Position(unrelated.lineCount, 0), 'more notes\n');
        await vscode.workspace.applyEdit(edit);
        assert.ok(await unrelated.save());
        await new Promise((r) => setTimeout(r, 1200));
        assert.equal(cc.runLog().length, quiet, 'saving a file that gave no evidence started a run');
      } finally {
        await vscode.workspace.fs.delete(notes);
      }
    } finally {
      const before = cc.runLog().length;
      await restore(launch, original);
      if (cc.watched().cards.includes(key)) {
        await waitFor('the re-run after the restore', () => cc.runLog().slice(before).some((r) => r.trigger === 'watch'), 10_000).catch(() => undefined);
      }
      await settle().catch(() => undefined);
      await config.update('watch', undefined, vscode.ConfigurationTarget.Global);
    }
    // The restore re-ran the card: the claim is back to contradicted and says it was supported.
    const back = epochsClaim();
    assert.equal(back?.verdict, 'contradicted');
    assert.equal(back?.change?.from, 'supported');
  });

  it('watch mode is off by default: saving an evidence file starts no run', async () => {
    const cc = await api();
    const card = exampleCard();
    assert.equal(vscode.workspace.getConfiguration('cardcheck').get('watch'), false);
    await cc.verify(card, { showPanel: false });
    const launch = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(card, '..', 'scripts', 'launch.sh'));
    const original = launch.getText();
    const before = cc.runLog().length;
    try {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(launch.uri, new vscode.Range(0, 0, launch.lineCount, 0), original.replace('--epochs 4', '--epochs 3'));
      await vscode.workspace.applyEdit(edit);
      await launch.save();
      await new Promise((r) => setTimeout(r, 1200));
      assert.equal(cc.runLog().length, before, 'a run started with watch mode off');
    } finally {
      await restore(launch, original);
    }
  });

  it('Verify All Model Cards verifies the cards one at a time, one worker alive at once, and sums them up', async () => {
    const cc = await api();
    const before = cc.runLog().length;
    let overlap = '';
    let checks = 0;
    const check = () => {
      checks++;
      const live = cc.runLog().slice(before).filter((r) => r.pid !== undefined && alive(r.pid));
      if (live.length > 1 && !overlap) overlap = JSON.stringify(live);
    };
    const timer = setInterval(check, 25);
    const sub = cc.onDidReceiveClaim(check);
    let result: VerifyAllResult | undefined;
    try {
      result = await vscode.commands.executeCommand<VerifyAllResult>('cardcheck.verifyAll');
    } finally {
      clearInterval(timer);
      sub.dispose();
    }
    assert.ok(result, 'the command returned nothing');
    console.log(`    ${result.message} (${checks} liveness checks)`);
    const cards = [bigCard(), docxCard(), exampleCard()].map((u) => u.toString());
    for (const c of cards) assert.ok(result.outcomes.some((o) => o.card === c), `${c} was not verified: ${JSON.stringify(result.outcomes.map((o) => o.card))}`);
    assert.equal(result.cancelled, false);
    assert.deepEqual(result.skipped, []);
    assert.equal(result.outcomes.length, result.total);
    assert.ok(result.outcomes.every((o) => o.status === 'done'), JSON.stringify(result.outcomes.map((o) => [o.card, o.status, o.message])));
    const withContradictions = result.outcomes.filter((o) => (o.summary?.contradicted ?? 0) > 0).length;
    assert.equal(result.message, `CardCheck: ${result.total} cards — ${withContradictions === 0 ? 'none' : withContradictions} with contradictions`);
    assert.ok(withContradictions >= 2, 'the example card and its Word copy both have contradictions');

    const runs: RunRecord[] = cc.runLog().slice(before).filter((r) => r.trigger === 'verifyAll');
    assert.deepEqual(runs.map((r) => r.card), result.outcomes.map((o) => o.card), 'runs are not in the order of the cards');
    for (let i = 1; i < runs.length; i++) {
      const prev = runs[i - 1]!;
      assert.ok(prev.endedAt !== undefined && runs[i]!.startedAt >= prev.endedAt, `run ${i + 1} started before run ${i} ended: ${JSON.stringify(runs)}`);
    }
    assert.equal(new Set(runs.map((r) => r.pid)).size, runs.length, 'each card has its own worker');
    assert.equal(overlap, '', `two workers were alive at once: ${overlap}`);
    assert.ok(runs.every((r) => r.pid !== undefined && !alive(r.pid)), 'a worker outlived Verify All');
  });

  it('cancelling Verify All stops the card under way and skips the rest', async () => {
    const cc = await api();
    const before = cc.runLog().length;
    let cancelled = false;
    const sub = cc.onDidReceiveClaim(() => {
      if (cancelled) return;
      cancelled = true;
      void cc.cancelVerifyAll();
    });
    let result: VerifyAllResult;
    try {
      result = await cc.verifyAll();
    } finally {
      sub.dispose();
    }
    assert.ok(cancelled, 'no claim arrived before the end');
    assert.equal(result.cancelled, true, result.message);
    assert.equal(result.outcomes.length, 1, JSON.stringify(result.outcomes));
    assert.equal(result.outcomes[0]!.status, 'cancelled');
    assert.equal(result.skipped.length, result.total - 1);
    assert.match(result.message, new RegExp(`^CardCheck: cancelled after 1 of ${result.total} cards — .*${result.total - 1} skipped$`));
    const runs = cc.runLog().slice(before);
    assert.equal(runs.length, 1, `only the first card ran: ${JSON.stringify(runs)}`);
    assert.ok(runs[0]!.pid !== undefined && !alive(runs[0]!.pid), 'the cancelled worker is still alive');
  });
});
