#!/usr/bin/env node
// Scores the CLI on the labeled cases in ../shared/eval (card.md, then card.docx) and fails below
// the quality bar of the engine issue. Not part of `npm test`: it needs ../shared.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const evalDir = process.env.CARDCHECK_EVAL_DIR ?? path.resolve(root, '..', 'shared', 'eval');
if (!existsSync(path.join(evalDir, 'score.mjs'))) {
  console.error(`eval: no scorer at ${evalDir}/score.mjs (set CARDCHECK_EVAL_DIR)`);
  process.exit(2);
}
const cli = path.join(root, 'dist', 'cli.js');
const run = `node ${JSON.stringify(cli)} verify {card} --workspace {workspace} --format json --fail-on never`;
const common = ['--min', 'contradiction_precision=0.95', '--min', 'contradiction_recall=0.90', '--min', 'support_recall=0.90'];
const runs = [
  { name: 'markdown', args: ['--min', 'evidence_hit=0.90'] },
  { name: 'docx', args: ['--docx', '--min', 'evidence_hit=0.85'] },
];
let failed = false;
for (const r of runs) {
  console.log(`\n== ${r.name} cards`);
  const res = spawnSync(process.execPath, [path.join(evalDir, 'score.mjs'), '--cases', path.join(evalDir, 'cases'), '--run', run,
    ...common, ...r.args, '--min', 'absent_unverified=0.75', '--max', 'unlabeled_contradicted=3', '--max', 'failed_cases=0', ...process.argv.slice(2)],
  { stdio: 'inherit' });
  if (res.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
