#!/usr/bin/env node
// Scores the CLI on the labeled cases in ../shared/eval (card.md, then card.docx) and fails below
// the quality bar of the engine issue, then on the project's own cases in eval/cases against
// regression floors. Not part of `npm test`: it needs ../shared (for the scorer).
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const given = process.env.CARDCHECK_EVAL_DIR ?? path.resolve(root, '..', 'shared', 'eval');
if (!existsSync(path.join(given, 'score.mjs'))) {
  console.error(`eval: no scorer at ${given}/score.mjs (set CARDCHECK_EVAL_DIR)`);
  process.exit(2);
}
// The scorer runs only when started by its real path (it compares argv[1] with its own URL).
const evalDir = realpathSync(given);
const cli = path.join(root, 'dist', 'cli.js');
const run = `node ${JSON.stringify(cli)} verify {card} --workspace {workspace} --format json --fail-on never`;
const common = ['--min', 'contradiction_precision=0.95', '--min', 'contradiction_recall=0.90', '--min', 'support_recall=0.90'];
const runs = [
  { name: 'markdown', args: ['--min', 'evidence_hit=0.90'] },
  { name: 'docx', args: ['--docx', '--min', 'evidence_hit=0.85'] },
];
let failed = false;
// The project's own cases (eval/cases): written without sight of the engine, in other domains and
// styles than ../shared/eval. Their floors guard against regressions; they are not the target.
const ownCases = path.join(root, 'eval', 'cases');
const ownFloors = ['--min', 'contradiction_precision=0.95', '--min', 'contradiction_recall=0.50', '--min', 'support_recall=0.68',
  '--min', 'evidence_hit=0.90', '--max', 'false_alarms=0', '--max', 'failed_cases=0'];
for (const r of runs) {
  console.log(`\n== ${r.name} cards`);
  const res = spawnSync(process.execPath, [path.join(evalDir, 'score.mjs'), '--cases', path.join(evalDir, 'cases'), '--run', run,
    ...common, ...r.args, '--min', 'absent_unverified=0.75', '--max', 'unlabeled_contradicted=3', '--max', 'failed_cases=0', ...process.argv.slice(2)],
  { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(res.stdout ?? '');
  if (res.status !== 0) failed = true;
  if (!/^TOTAL /m.test(res.stdout ?? '')) {
    console.error(`eval: the scorer printed no TOTAL line for the ${r.name} cards`);
    failed = true;
  }
}
if (existsSync(ownCases)) {
  console.log('\n== project cases (eval/cases)');
  const res = spawnSync(process.execPath, [path.join(evalDir, 'score.mjs'), '--cases', ownCases, '--run', run, ...ownFloors, ...process.argv.slice(2)],
    { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(res.stdout ?? '');
  if (res.status !== 0 || !/^TOTAL /m.test(res.stdout ?? '')) failed = true;
}
process.exit(failed ? 1 : 0);
