#!/usr/bin/env node
// Shows the LLM pass's citation check on a shared eval case, with a scripted model instead of a
// real one (no network, no key). Not part of `npm test`: it needs ../shared and `npm run build`.
//
//   node scripts/llm-demo.mjs [CASE_DIR]     (default: ../shared/eval/cases/cnn-notebook)
//
// The scripted model answers the card's "most frequent confusion is between cats and dogs" claim
// (labeled supported; the engine alone leaves it unverified) the way a good model would: citing
// the confusion-matrix row and the class-name line of the notebook. It answers every other claim
// it is asked about with a fabricated citation (a real file, a quote that is not on the cited line
// or a value that is not there). The demo prints which answers the engine accepted.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const caseDir = path.resolve(process.argv[2] ?? path.join(root, '..', 'shared', 'eval', 'cases', 'cnn-notebook'));
const cli = path.join(root, 'dist', 'cli.js');
for (const [what, p] of [['case', path.join(caseDir, 'card.md')], ['CLI (run npm run build)', cli]]) {
  if (!existsSync(p)) {
    console.error(`llm-demo: no ${what} at ${p}`);
    process.exit(2);
  }
}
const workspace = path.join(caseDir, 'workspace');
const notebook = 'experiments.ipynb';
const lines = existsSync(path.join(workspace, notebook)) ? readFileSync(path.join(workspace, notebook), 'utf8').split('\n') : [];
const lineWith = (re) => lines.findIndex((l) => re.test(l)) + 1;

/** The good answer, for the cats-and-dogs claim: located in the file, so quotes are exact. */
function goodCitations() {
  const names = lineWith(/'cat', 'deer', 'dog'/);
  const catRow = names > 0 ? names + 4 : 0;
  if (names === 0 || !lines[catRow - 1]) return undefined;
  return [
    { path: notebook, line: catRow, quote: lines[catRow - 1].trim().replace(/^"|\\n",?$/g, '').trim() },
    { path: notebook, line: names, quote: "'cat', 'deer', 'dog'" },
  ];
}

const decisions = [];
function model(body) {
  const first = body.messages.find((m) => m.role === 'user')?.content ?? '';
  if (body.response_format) return { content: JSON.stringify({ claims: [] }) };
  const data = /<card_data>\n([\s\S]*?)\n<\/card_data>/.exec(first);
  const claim = data ? JSON.parse(data[1]) : { sentence: '', checks: [] };
  const check = claim.checks[0]?.id ?? 'c1';
  let citations;
  let codeValue = null;
  if (/confusion is between cats and dogs/i.test(claim.sentence) && goodCitations()) {
    citations = goodCitations();
    decisions.push({ sentence: claim.sentence, answer: 'supported, correct citations' });
  } else {
    // Fabricated: a real file and line, a quote that is not there, the card's own value.
    codeValue = claim.checks[0]?.value ?? null;
    citations = [{ path: notebook, line: 3, quote: `${codeValue ?? 'value'} as the card says` }];
    decisions.push({ sentence: claim.sentence, answer: 'supported, fabricated citation' });
  }
  return { tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'answer', arguments: JSON.stringify({ findings: [{ check, verdict: 'supported', codeValue, citations }], explanation: 'scripted' }) } }] };
}

const server = createServer((req, res) => {
  let raw = '';
  req.on('data', (c) => { raw += c; });
  req.on('end', () => {
    const body = JSON.parse(raw);
    const turn = model(body);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      id: 'demo', object: 'chat.completion', created: 0, model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: turn.content ?? null, refusal: null, ...(turn.tool_calls ? { tool_calls: turn.tool_calls } : {}) }, finish_reason: turn.tool_calls ? 'tool_calls' : 'stop' }],
      usage: { prompt_tokens: Math.ceil(raw.length / 4), completion_tokens: 50, total_tokens: Math.ceil(raw.length / 4) + 50 },
    }));
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/v1`;

function verify(extra) {
  const r = spawnSync(process.execPath, [cli, 'verify', path.join(caseDir, 'card.md'), '--workspace', workspace, '--format', 'json', '--fail-on', 'never', ...extra], {
    encoding: 'utf8', env: { ...process.env, OPENAI_API_KEY: 'sk-demo-not-a-real-key', OPENAI_BASE_URL: '' }, maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`cardcheck failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

try {
  const before = verify([]);
  const after = await new Promise((resolve, reject) => {
    // The server answers in this process: run the CLI without blocking the event loop.
    import('node:child_process').then(({ execFile }) => {
      execFile(process.execPath, [cli, 'verify', path.join(caseDir, 'card.md'), '--workspace', workspace, '--format', 'json', '--fail-on', 'never', '--llm', '--llm-base-url', url, '--llm-model', 'scripted-demo'], {
        encoding: 'utf8', env: { ...process.env, OPENAI_API_KEY: 'sk-demo-not-a-real-key', OPENAI_BASE_URL: '' }, maxBuffer: 64 << 20,
      }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout))));
    });
  });
  console.log(`case: ${path.basename(caseDir)}  (LLM pass stats: ${JSON.stringify(after.stats?.llm)})\n`);
  for (const c of after.claims) {
    const was = before.claims.find((b) => b.id === c.id);
    if (!was || was.verdict !== 'unverified') continue;
    const d = decisions.find((x) => x.sentence === c.text);
    const outcome = c.verdict !== 'unverified' ? `ACCEPTED -> ${c.verdict}` : 'rejected (stays unverified)';
    console.log(`${c.id}  ${JSON.stringify(c.text)}`);
    console.log(`    model: ${d?.answer ?? '(not asked)'}`);
    console.log(`    engine: ${outcome}`);
    console.log(`    ${c.explanation}\n`);
  }
} finally {
  server.close();
}
