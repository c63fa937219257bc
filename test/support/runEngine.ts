import path from 'node:path';
import { runPipeline } from '../../src/engine/pipeline.js';
import type { ClaimResult, EngineWarning } from '../../src/engine/model.js';
import { tempWorkspace } from './tempWorkspace.js';

export interface EngineRun {
  claims: ClaimResult[];
  warnings: EngineWarning[];
  /** The claim whose text contains `quote` (first one); throws when none does, naming the claims. */
  claim(quote: string): ClaimResult;
}

/** Runs the real pipeline on a card (at `card.md` unless given) inside a temp workspace. */
export async function runEngine(files: Record<string, string>, cardName = 'card.md'): Promise<EngineRun> {
  const ws = tempWorkspace(files);
  try {
    const claims: ClaimResult[] = [];
    const warnings: EngineWarning[] = [];
    await runPipeline({ cardPath: path.join(ws.root, cardName), workspaceRoot: ws.root }, {
      progress: () => undefined,
      claim: (c) => { claims.push(c); },
      warning: (w) => { warnings.push(w); },
    });
    return {
      claims, warnings,
      claim(quote: string): ClaimResult {
        const found = claims.find((c) => c.text.toLowerCase().includes(quote.toLowerCase()));
        if (!found) throw new Error(`no claim contains "${quote}"; claims: ${claims.map((c) => JSON.stringify(c.text)).join(', ')}`);
        return found;
      },
    };
  } finally {
    ws.dispose();
  }
}
