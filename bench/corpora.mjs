// Benchmark corpora: the machine's Python standard library, generated ML workspaces of any size
// (Python, YAML configs, notebooks, CSV logs, some of them large) and a generated 300-claim card.
// Generation is deterministic (seeded) and streamed: files are written a bounded number at a
// time, never held in memory together, so 50k files take seconds. Corpora live outside the repo.
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Bump when the generated content changes, so stale corpora are regenerated. */
const GENERATOR_VERSION = 4;
/** Files written at once. */
const WRITE_CONCURRENCY = 64;
/** One CSV log in this many files is large (tail-read by the engine). */
const LARGE_LOG_EVERY = 1000;
const LARGE_LOG_BYTES = 6 * 1024 * 1024;

/** The standard library of this machine's python3 (`sysconfig`'s stdlib path). */
export function pythonStdlib() {
  const out = execFileSync('python3', ['-c', "import sysconfig, sys; print(sysconfig.get_paths()['stdlib']); print(sys.version.split()[0])"], { encoding: 'utf8' });
  const [dir, version] = out.trim().split('\n');
  return { dir, version };
}

/** Small, fast, seeded PRNG (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (r, list) => list[Math.floor(r() * list.length)];
const LRS = ['1e-3', '3e-4', '5e-4', '2e-5', '3e-5', '1e-4', '0.01', '0.1'];
const BATCHES = [8, 16, 32, 64, 128, 256];
const HIDDEN = [128, 256, 512, 768, 1024];
const LAYERS = [2, 4, 6, 12, 24];
const DROPOUTS = ['0.0', '0.1', '0.2', '0.3', '0.5'];
const OPTIMS = ['AdamW', 'Adam', 'SGD', 'RMSprop'];
const WORDS = ['encoder', 'decoder', 'vision', 'audio', 'tabular', 'ranker', 'tagger', 'parser', 'retriever', 'policy'];

function pythonModule(r, i) {
  const name = `${pick(r, WORDS)}_${i}`;
  const lines = [
    `"""Module ${name}: part of the generated benchmark workspace."""`,
    'import argparse',
    'import math',
    'from dataclasses import dataclass, field',
    '',
    'import torch',
    'import torch.nn as nn',
    'from torch.utils.data import DataLoader',
    '',
    `LEARNING_RATE = ${pick(r, LRS)}`,
    `BATCH_SIZE = ${pick(r, BATCHES)}`,
    `NUM_EPOCHS = ${1 + Math.floor(r() * 30)}`,
    `SEED = ${Math.floor(r() * 10000)}`,
    '',
    '',
    '@dataclass',
    `class ${capitalize(name)}Config:`,
    `    hidden_size: int = ${pick(r, HIDDEN)}`,
    `    num_layers: int = ${pick(r, LAYERS)}`,
    `    num_heads: int = ${pick(r, [4, 8, 12, 16])}`,
    `    dropout: float = ${pick(r, DROPOUTS)}`,
    `    max_seq_len: int = ${pick(r, [128, 256, 512, 1024, 2048])}`,
    `    labels: list = field(default_factory=lambda: ["neg", "pos"])`,
    '',
    '',
    `class ${capitalize(name)}Model(nn.Module):`,
    `    def __init__(self, cfg, vocab_size=${pick(r, [30522, 32000, 50257])}, activation="${pick(r, ['gelu', 'relu', 'silu'])}"):`,
    '        super().__init__()',
    '        self.embed = nn.Embedding(vocab_size, cfg.hidden_size)',
    `        self.blocks = nn.ModuleList([nn.Linear(cfg.hidden_size, cfg.hidden_size) for _ in range(cfg.num_layers)])`,
    `        self.norm = nn.LayerNorm(cfg.hidden_size, eps=${pick(r, ['1e-5', '1e-6', '1e-12'])})`,
    `        self.drop = nn.Dropout(p=cfg.dropout)`,
    `        self.head = nn.Linear(cfg.hidden_size, ${pick(r, [2, 10, 100, 1000])})`,
    '',
    '    def forward(self, x):',
    '        h = self.embed(x)',
    '        for block in self.blocks:',
    '            h = self.drop(torch.relu(block(h))) + h',
    '        return self.head(self.norm(h).mean(dim=1))',
    '',
    '',
    'def parse_args():',
    '    p = argparse.ArgumentParser()',
    `    p.add_argument("--lr", type=float, default=${pick(r, LRS)})`,
    `    p.add_argument("--batch-size", type=int, default=${pick(r, BATCHES)})`,
    `    p.add_argument("--epochs", type=int, default=${1 + Math.floor(r() * 20)})`,
    `    p.add_argument("--warmup-steps", type=int, default=${pick(r, [0, 100, 500, 1000, 2000])})`,
    `    p.add_argument("--weight-decay", type=float, default=${pick(r, ['0.0', '0.01', '0.05', '0.1'])})`,
    '    p.add_argument("--fp16", action="store_true")',
    '    return p.parse_args()',
    '',
    '',
    'def train(model, data, args):',
    `    opt = torch.optim.${pick(r, OPTIMS)}(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)`,
    `    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=${pick(r, [1000, 10000, 50000])}, eta_min=${pick(r, ['0.0', '1e-6', '1e-5'])})`,
    '    loader = DataLoader(data, batch_size=args.batch_size, shuffle=True, num_workers=4)',
    '    history = {"loss": [], "accuracy": []}',
    '    for epoch in range(args.epochs):',
    '        for step, (x, y) in enumerate(loader):',
    '            loss = nn.functional.cross_entropy(model(x), y, label_smoothing=0.1)',
    '            loss.backward()',
    `            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=${pick(r, ['0.5', '1.0', '5.0'])})`,
    '            opt.step()',
    '            sched.step()',
    '            opt.zero_grad()',
    '            if step % 100 == 0:',
    '                print(f"epoch {epoch} step {step} loss {loss.item():.4f}")',
    '        history["loss"].append(loss.item())',
    '    return history',
    '',
  ];
  // Vary the size: some modules carry a table of constants or extra helpers.
  const extra = Math.floor(r() * 40);
  for (let k = 0; k < extra; k++) lines.push(`CONST_${k} = {"name": "${pick(r, WORDS)}", "scale": ${(r() * 10).toFixed(3)}, "ids": [${k}, ${k + 1}, ${k + 2}]}`);
  lines.push('', '', 'if __name__ == "__main__":', '    args = parse_args()', `    model = ${capitalize(name)}Model(${capitalize(name)}Config())`, '    train(model, [], args)', '');
  return lines.join('\n');
}

const UTIL_WORDS = ['http', 'cache', 'retry', 'queue', 'auth', 'session', 'storage', 'render', 'router', 'schema', 'upload', 'billing', 'invoice', 'mailer', 'geo'];

/** Ordinary application code, as most of a large repository is: other names, other numbers. */
function utilityModule(r, i) {
  const w = pick(r, UTIL_WORDS);
  const lines = [
    `"""${w} helpers (generated benchmark module ${i})."""`,
    'import json',
    'import logging',
    'import time',
    'from typing import Any, Optional',
    '',
    'log = logging.getLogger(__name__)',
    `TIMEOUT_SECONDS = ${pick(r, [5, 10, 30, 60])}`,
    `MAX_RETRIES = ${pick(r, [3, 5, 7])}`,
    `DEFAULT_PORT = ${pick(r, [8080, 8443, 9000])}`,
    `ENDPOINT = "https://${w}.example.com/v${1 + Math.floor(r() * 3)}"`,
    '',
    '',
    `class ${capitalize(w)}Client${i}:`,
    '    def __init__(self, host="localhost", port=DEFAULT_PORT, timeout=TIMEOUT_SECONDS, verify_ssl=True):',
    '        self.host = host',
    '        self.port = port',
    '        self.timeout = timeout',
    '        self.verify_ssl = verify_ssl',
    '        self._cache = {}',
    '',
    '    def request(self, path: str, payload: Optional[dict] = None) -> Any:',
    '        for attempt in range(MAX_RETRIES):',
    '            try:',
    '                return self._send(path, json.dumps(payload or {}))',
    '            except ConnectionError:',
    `                time.sleep(min(2 ** attempt, ${pick(r, [8, 16, 30])}))`,
    '                log.warning("retrying %s (attempt %d)", path, attempt)',
    '        raise TimeoutError(path)',
    '',
    '    def _send(self, path, body):',
    `        headers = {"Content-Type": "application/json", "X-Client": "${w}", "X-Version": "${1 + Math.floor(r() * 9)}.${Math.floor(r() * 10)}"}`,
    '        return {"path": path, "body": body, "headers": headers, "status": 200}',
    '',
  ];
  const extra = Math.floor(r() * 30);
  for (let k = 0; k < extra; k++) {
    lines.push('', `def ${w}_handler_${k}(event, context=None, limit=${pick(r, [10, 50, 100, 500])}):`, '    items = event.get("items", [])[:limit]', `    return {"count": len(items), "page": ${k}, "ok": True}`);
  }
  lines.push('');
  return lines.join('\n');
}

function capitalize(s) {
  return s.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function yamlConfig(r, i) {
  return [
    `# experiment ${i}`,
    'model:',
    `  name: ${pick(r, WORDS)}-${i}`,
    `  hidden_size: ${pick(r, HIDDEN)}`,
    `  num_layers: ${pick(r, LAYERS)}`,
    `  dropout: ${pick(r, DROPOUTS)}`,
    'optim:',
    `  name: ${pick(r, OPTIMS).toLowerCase()}`,
    `  lr: ${pick(r, LRS)}`,
    `  weight_decay: ${pick(r, ['0.0', '0.01', '0.1'])}`,
    '  betas: [0.9, 0.999]',
    'train:',
    `  batch_size: ${pick(r, BATCHES)}`,
    `  epochs: ${1 + Math.floor(r() * 50)}`,
    `  warmup_steps: ${pick(r, [0, 500, 1000])}`,
    `  gradient_accumulation_steps: ${pick(r, [1, 2, 4, 8])}`,
    `  seed: ${Math.floor(r() * 1000)}`,
    'data:',
    `  train_path: data/train_${i}.jsonl`,
    `  max_seq_len: ${pick(r, [128, 256, 512])}`,
    '',
  ].join('\n');
}

function notebook(r, i) {
  const cell = (source, outputs = []) => ({ cell_type: 'code', execution_count: 1, metadata: {}, source, outputs });
  const cells = [
    { cell_type: 'markdown', metadata: {}, source: [`# Experiment ${i}\n`, 'Exploring hyperparameters.\n'] },
    cell(['import torch\n', 'import numpy as np\n']),
    cell([`lr = ${pick(r, LRS)}\n`, `batch_size = ${pick(r, BATCHES)}\n`, `epochs = ${1 + Math.floor(r() * 10)}\n`]),
    cell(['history = train(model, data, lr=lr, batch_size=batch_size)\n', 'print(history[-1])\n'], [
      { output_type: 'stream', name: 'stdout', text: [`epoch 9 loss ${(r() * 2).toFixed(4)}\n`, `final accuracy ${(0.5 + r() * 0.5).toFixed(4)}\n`] },
    ]),
  ];
  return JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { language: 'python', name: 'python3' } }, cells }, null, 1);
}

function csvLog(r, rows) {
  const out = ['step,epoch,loss,accuracy,lr'];
  let loss = 2 + r();
  for (let s = 0; s < rows; s++) {
    loss *= 0.999;
    out.push(`${s * 10},${Math.floor(s / 100)},${loss.toFixed(5)},${(1 - loss / 3).toFixed(5)},${(3e-4 * (1 - s / rows)).toExponential(3)}`);
  }
  return `${out.join('\n')}\n`;
}

async function writeLargeCsv(file, r) {
  await new Promise((resolve, reject) => {
    const out = createWriteStream(file);
    out.on('error', reject);
    let bytes = 0;
    let s = 0;
    let loss = 3;
    const write = () => {
      let ok = true;
      while (ok && bytes < LARGE_LOG_BYTES) {
        loss *= 0.99999;
        const line = `${s * 10},${Math.floor(s / 1000)},${loss.toFixed(5)},${(1 - loss / 4).toFixed(5)},${(3e-4).toExponential(3)}\n`;
        bytes += line.length;
        s++;
        ok = out.write(s === 1 ? `step,epoch,loss,accuracy,lr\n${line}` : line);
      }
      if (bytes >= LARGE_LOG_BYTES) out.end(resolve);
      else out.once('drain', write);
    };
    write();
  });
}

/** What file `i` of a generated workspace is: its path and how to write it. */
function fileSpec(i, r) {
  const pkg = `pkg_${Math.floor(i / 250)}`;
  const slot = i % 20;
  // A quarter of the Python is ML training code; the rest is the application around it.
  if (slot < 13) {
    return i % 4 === 0
      ? { rel: `src/${pkg}/train_${i}.py`, text: () => pythonModule(r, i) }
      : { rel: `src/${pkg}/service_${i}.py`, text: () => utilityModule(r, i) };
  }
  if (slot < 16) return { rel: `configs/${pkg}/exp_${i}.yaml`, text: () => yamlConfig(r, i) };
  if (slot === 16) return { rel: `notebooks/${pkg}/nb_${i}.ipynb`, text: () => notebook(r, i) };
  if (slot < 19) {
    if (i % LARGE_LOG_EVERY === 17) return { rel: `logs/run_${i}/metrics.csv`, large: true };
    return { rel: `logs/run_${i}/metrics.csv`, text: () => csvLog(r, 50 + Math.floor(r() * 200)) };
  }
  return { rel: `docs/${pkg}/notes_${i}.md`, text: () => `# Notes ${i}\n\nWe trained the ${pick(r, WORDS)} model for ${1 + Math.floor(r() * 30)} epochs with a batch size of ${pick(r, BATCHES)}.\n` };
}

/**
 * A generated workspace of `count` files under `dir/ws-<count>` (reused when already complete).
 * Returns its root.
 */
export async function generatedWorkspace(dir, count, log = () => undefined) {
  const root = path.join(dir, `ws-${count}`);
  const marker = path.join(dir, `ws-${count}.done.json`);
  const want = { version: GENERATOR_VERSION, count };
  if (existsSync(marker) && JSON.stringify(JSON.parse(readFileSync(marker, 'utf8'))) === JSON.stringify(want) && existsSync(root)) return root;
  log(`generating ${count} files in ${root}`);
  await rm(root, { recursive: true, force: true });
  const started = Date.now();
  const made = new Map();
  const r = rng(count * 7919 + 1);
  let next = 0;
  // Workers pull file numbers one at a time: at most WRITE_CONCURRENCY files in memory.
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      const spec = fileSpec(i, r);
      const abs = path.join(root, spec.rel);
      const folder = path.dirname(abs);
      // One mkdir per folder; files of that folder wait for it.
      if (!made.has(folder)) made.set(folder, mkdir(folder, { recursive: true }));
      await made.get(folder);
      if (spec.large) await writeLargeCsv(abs, r);
      else await writeFile(abs, spec.text());
    }
  };
  await Promise.all(Array.from({ length: WRITE_CONCURRENCY }, worker));
  await writeFile(path.join(root, 'requirements.txt'), 'torch==2.3.1\nnumpy==1.26.4\npyyaml==6.0.1\n');
  await writeFile(path.join(root, 'LICENSE'), 'MIT License\n\nCopyright (c) 2024 Bench\n');
  await writeFile(marker, JSON.stringify(want));
  log(`generated ${count} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return root;
}

const CARD_KEYS = [
  ['Learning rate', LRS], ['Batch size', BATCHES], ['Epochs', [3, 5, 10, 20]], ['Dropout', DROPOUTS],
  ['Weight decay', ['0.0', '0.01', '0.1']], ['Warmup steps', [0, 500, 1000]], ['Hidden size', HIDDEN],
  ['Number of layers', LAYERS], ['Attention heads', [4, 8, 12, 16]], ['Max sequence length', [128, 256, 512]],
  ['Gradient accumulation steps', [1, 2, 4, 8]], ['Seed', [0, 13, 42, 1234]], ['Label smoothing', ['0.1', '0.0']],
  ['Gradient clipping', ['0.5', '1.0', '5.0']], ['Vocabulary size', [30522, 32000, 50257]],
];

/**
 * A model card of about `claims` claims: tables of hyperparameters (one claim per row) for a
 * number of model variants, and some prose. Written to `dir/card-<claims>.md`.
 */
export async function generatedCard(dir, claims = 300) {
  const file = path.join(dir, `card-${claims}.md`);
  const r = rng(claims);
  const lines = ['# Bench model family', '', 'A family of models trained on the generated benchmark workspace.', ''];
  let n = 0;
  for (let v = 0; n < claims - 10; v++) {
    lines.push(`## Variant ${v + 1}`, '', '| Hyperparameter | Value |', '|---|---|');
    for (const [label, values] of CARD_KEYS) {
      if (n >= claims - 10) break;
      lines.push(`| ${label} | ${pick(r, values)} |`);
      n++;
    }
    lines.push('');
  }
  lines.push('## Training', '');
  for (let k = 0; k < 10; k++) lines.push(`- The ${pick(r, WORDS)} model reaches ${(80 + r() * 19).toFixed(1)}% accuracy after ${1 + Math.floor(r() * 30)} epochs.`);
  lines.push('', '## License', '', 'Released under the MIT license.', '');
  await mkdir(dir, { recursive: true });
  await writeFile(file, lines.join('\n'));
  return file;
}
