import path from 'node:path';
import { runPipeline, type VerifyJob } from '../../src/engine/pipeline.js';
import type { ClaimResult, EngineWarning } from '../../src/engine/model.js';
import type { EngineOptionsInput } from '../../src/engine/options.js';
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
    const { claims, warnings } = await runJob({ cardPath: path.join(ws.root, cardName), workspaceRoot: ws.root });
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

/** Runs the real pipeline on `root`'s card.md with `options` (and the card's text as given, if any). */
export function runCardIn(root: string, options: EngineOptionsInput, cardText?: string): ReturnType<typeof runJob> {
  return runJob({ cardPath: path.join(root, 'card.md'), workspaceRoot: root, cardText, options });
}

/** One pipeline run, with what its sink was given. */
async function runJob(job: VerifyJob) {
  const claims: ClaimResult[] = [];
  const warnings: EngineWarning[] = [];
  const result = await runPipeline(job, {
    progress: () => undefined,
    claim: (c) => { claims.push(c); },
    warning: (w) => { warnings.push(w); },
  });
  return { claims, warnings, result, stats: result.stats };
}
