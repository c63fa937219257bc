import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { z } from 'zod';
import { BaselineSchema, ClaimResultSchema, SummarySchema } from '../../engine/model.js';
import { CardRun } from './cardRun.js';

/**
 * The last finished results of each card, saved in the extension's workspace storage so the
 * evidence panel and the diagnostics come back after a window reload. Results are restored only
 * when the card has not changed since (same size and modification time).
 */

const SavedSchema = z.object({
  version: z.literal(1),
  cardKey: z.string(),
  rootUri: z.string(),
  label: z.string(),
  cardPath: z.string(),
  workspaceRoot: z.string(),
  cardMtime: z.number(),
  cardSize: z.number(),
  status: z.enum(['done', 'cancelled', 'failed']),
  message: z.string().optional(),
  durationMs: z.number().optional(),
  summary: SummarySchema.optional(),
  claims: z.array(ClaimResultSchema),
  notices: z.array(z.string()),
  baseline: BaselineSchema.optional(),
});

const MAX_SAVED = 50;

export class SavedResults {
  private readonly dir: vscode.Uri | undefined;

  constructor(storage: vscode.Uri | undefined) {
    this.dir = storage ? vscode.Uri.joinPath(storage, 'results') : undefined;
  }

  private fileFor(cardKey: string): vscode.Uri | undefined {
    if (!this.dir) return undefined;
    return vscode.Uri.joinPath(this.dir, `${createHash('sha1').update(cardKey).digest('hex')}.json`);
  }

  async save(run: CardRun, rootUri: vscode.Uri): Promise<void> {
    const file = this.fileFor(run.cardKey);
    if (!file || !this.dir) return;
    if (run.status !== 'done' && run.status !== 'cancelled' && run.status !== 'failed') return;
    const stat = await vscode.workspace.fs.stat(vscode.Uri.parse(run.cardKey));
    const saved: z.infer<typeof SavedSchema> = {
      version: 1,
      cardKey: run.cardKey,
      rootUri: rootUri.toString(),
      label: run.label,
      cardPath: run.cardPath,
      workspaceRoot: run.workspaceRoot,
      cardMtime: stat.mtime,
      cardSize: stat.size,
      status: run.status,
      ...(run.message !== undefined ? { message: run.message } : {}),
      ...(run.durationMs !== undefined ? { durationMs: run.durationMs } : {}),
      ...(run.summary ? { summary: run.summary } : {}),
      claims: run.orderedClaims().map(({ stale: _s, ...c }) => c),
      notices: [...run.notices],
      ...(run.baseline ? { baseline: run.baseline } : {}),
    };
    await vscode.workspace.fs.createDirectory(this.dir);
    await vscode.workspace.fs.writeFile(file, Buffer.from(JSON.stringify(saved), 'utf8'));
  }

  async load(cardKey: string): Promise<{ run: CardRun; rootUri: vscode.Uri } | undefined> {
    const file = this.fileFor(cardKey);
    if (!file) return undefined;
    return this.read(file);
  }

  /** Every saved card whose file is unchanged (at most MAX_SAVED). */
  async loadAll(): Promise<Array<{ run: CardRun; rootUri: vscode.Uri }>> {
    if (!this.dir) return [];
    let entries: Array<[string, vscode.FileType]>;
    try {
      entries = await vscode.workspace.fs.readDirectory(this.dir);
    } catch {
      return [];
    }
    const out: Array<{ run: CardRun; rootUri: vscode.Uri }> = [];
    for (const [name] of entries.filter(([n]) => n.endsWith('.json')).slice(0, MAX_SAVED)) {
      const r = await this.read(vscode.Uri.joinPath(this.dir, name));
      if (r) out.push(r);
    }
    return out;
  }

  async remove(cardKey?: string): Promise<void> {
    const target = cardKey ? this.fileFor(cardKey) : this.dir;
    if (!target) return;
    try {
      await vscode.workspace.fs.delete(target, { recursive: true, useTrash: false });
    } catch {
      // Nothing saved.
    }
  }

  private async read(file: vscode.Uri): Promise<{ run: CardRun; rootUri: vscode.Uri } | undefined> {
    try {
      const parsed = SavedSchema.safeParse(JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8')));
      if (!parsed.success) return undefined;
      const s = parsed.data;
      const stat = await vscode.workspace.fs.stat(vscode.Uri.parse(s.cardKey));
      if (stat.mtime !== s.cardMtime || stat.size !== s.cardSize) return undefined;
      const run = new CardRun(s.cardKey, s.cardPath, s.workspaceRoot, s.label);
      for (const c of s.claims) run.addClaim(c);
      for (const n of s.notices) run.addNotice(n);
      run.status = s.status;
      run.message = s.message;
      run.durationMs = s.durationMs;
      run.summary = s.summary;
      run.baseline = s.baseline;
      return { run, rootUri: vscode.Uri.parse(s.rootUri) };
    } catch {
      return undefined;
    }
  }
}
