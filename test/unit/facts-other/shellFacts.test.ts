import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { extractShellFacts } from '../../../src/engine/facts/shellFacts.js';
import { parseShell, resolveWord } from '../../../src/engine/facts/commandLine.js';
import type { Fact } from '../../../src/engine/facts/fact.js';

function byPath(facts: Fact[], path: string): Fact {
  const f = facts.find((x) => x.path === path);
  if (!f) throw new Error(`no fact ${path}; have ${facts.map((x) => x.path).join(', ')}`);
  return f;
}

function paths(facts: Fact[]): [string, unknown][] {
  return facts.map((f) => [f.path, f.value]);
}

describe('extractShellFacts', () => {
  it('reads torchrun launcher flags and the script flags, with variables resolved', () => {
    const script = [
      '#!/usr/bin/env bash',                                                              // 1
      '# torchrun --nproc_per_node=4 old.py',                                             // 2
      'CONFIG=${1:-configs/gpt_350m.yaml}',                                               // 3
      'export LR=3e-4',                                                                   // 4
      'torchrun --standalone --nproc_per_node=8 train.py --config "$CONFIG" --lr $LR \\', // 5
      '    --fp16 --batch-size 32',                                                       // 6
    ].join('\n');
    const { facts, warnings } = extractShellFacts('launch.sh', script);
    expect(warnings).toEqual([]);
    expect(byPath(facts, 'torchrun.nproc_per_node')).toMatchObject({
      rawKey: 'nproc_per_node', value: 8, line: 5, column: 40, endColumn: 41, form: 'flag', source: 'script', call: 'torchrun',
    });
    expect(byPath(facts, 'torchrun.standalone').value).toBe(true);
    expect(byPath(facts, 'train.py.config')).toMatchObject({ value: 'configs/gpt_350m.yaml', call: 'train.py', line: 5 });
    expect(byPath(facts, 'train.py.lr')).toMatchObject({ value: 0.0003, line: 5, column: 75 });
    expect(byPath(facts, 'train.py.fp16')).toMatchObject({ value: true, line: 6, column: 5 });
    expect(byPath(facts, 'train.py.batch_size')).toMatchObject({ rawKey: 'batch_size', value: 32, line: 6, snippet: '--fp16 --batch-size 32' });
    expect(byPath(facts, 'env.LR')).toMatchObject({ form: 'assignment', value: 0.0003, line: 4, column: 11 });
    expect(facts.some((f) => f.path.startsWith('old.py'))).toBe(false);
  });

  it('reads the common launchers', () => {
    const script = [
      'accelerate launch --num_processes 8 --mixed_precision bf16 train.py --epochs 3',
      'deepspeed --num_gpus 8 finetune.py --deepspeed ds_config.json',
      'python -m torch.distributed.launch --nproc_per_node 4 --nnodes 1 main.py --lr 0.1',
      'python3 -u -m my_pkg.train --max_steps=1000',
      'CUDA_VISIBLE_DEVICES=0,1 python ./scripts/train.py -n 2 -v --weight-decay=0.01',
      'srun --nodes=2 --gres=gpu:8 python train.py --seed 42',
      'mpirun -np 16 python hvd_train.py --epochs 90',
      'bash scripts/finetune.sh --lr 5e-5',
    ].join('\n');
    const { facts } = extractShellFacts('run_all.sh', script);
    expect(paths(facts)).toEqual([
      ['accelerate.num_processes', 8],
      ['accelerate.mixed_precision', 'bf16'],
      ['train.py.epochs', 3],
      ['deepspeed.num_gpus', 8],
      ['finetune.py.deepspeed', 'ds_config.json'],
      ['torch.distributed.launch.nproc_per_node', 4],
      ['torch.distributed.launch.nnodes', 1],
      ['main.py.lr', 0.1],
      ['my_pkg.train.max_steps', 1000],
      ['env.CUDA_VISIBLE_DEVICES', '0,1'],
      ['scripts/train.py.n', 2],
      ['scripts/train.py.weight_decay', 0.01],
      ['srun.nodes', 2],
      ['srun.gres', 'gpu:8'],
      ['train.py.seed', 42],
      ['mpirun.np', 16],
      ['hvd_train.py.epochs', 90],
      ['scripts/finetune.sh.lr', 0.00005],
    ]);
  });

  it('reads #SBATCH directives but no other comment', () => {
    const script = '#!/bin/bash\n#SBATCH --nodes=2\n#SBATCH --gres=gpu:a100:4\n# python train.py --lr 1\necho done\n';
    const { facts } = extractShellFacts('job.slurm', script);
    expect(paths(facts)).toEqual([['sbatch.nodes', 2], ['sbatch.gres', 'gpu:a100:4']]);
    expect(facts[0]).toMatchObject({ line: 2, column: 17 });
  });

  it('drops flags whose value cannot be known and keeps list values', () => {
    const script = 'python train.py --out "$(date +%s)" --name $UNSET --betas 0.9 0.95 --tag "a b" data/';
    const { facts } = extractShellFacts('x.sh', script);
    expect(paths(facts)).toEqual([['train.py.betas', [0.9, 0.95]], ['train.py.tag', 'a b']]);
  });

  it('skips heredocs, redirections and uninteresting commands', () => {
    const script = ['cat > cfg.yaml <<EOF', 'lr: 1', '--not-a-flag 3', 'EOF', 'pip install --upgrade torch', 'python train.py --epochs 5 > log.txt 2>&1 &', 'echo --lr 9'].join('\n');
    const { facts } = extractShellFacts('x.sh', script);
    expect(paths(facts)).toEqual([['train.py.epochs', 5]]);
    expect(facts[0].line).toBe(6);
  });

  it('handles control flow prefixes and separators', () => {
    const script = 'if [ -d x ]; then python train.py --lr 0.1; fi && nohup python eval.py --split test || exit 1';
    expect(paths(extractShellFacts('x.sh', script).facts)).toEqual([['train.py.lr', 0.1], ['eval.py.split', 'test']]);
  });

  it('handles empty input, CRLF and a huge line', () => {
    expect(extractShellFacts('x.sh', '')).toEqual({ facts: [], warnings: [] });
    expect(paths(extractShellFacts('x.sh', 'python train.py \\\r\n  --lr 0.5\r\n').facts)).toEqual([['train.py.lr', 0.5]]);
    const huge = `python train.py --tag ${'a'.repeat(500_000)} --lr 0.2`;
    const f = byPath(extractShellFacts('x.sh', huge).facts, 'train.py.lr');
    expect(f.snippet.length).toBeLessThanOrEqual(200);
    expect(f.snippet).toContain('--lr 0.2');
  });

  it('property: never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const r = extractShellFacts('fuzz.sh', s);
        for (const f of r.facts) expect(f.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseShell', () => {
  it('splits words with quotes, escapes and variables', () => {
    const [cmd] = parseShell(`a "b c" 'd $e' f\\ g "$H" \${I:-j}`);
    const vars = new Map([['H', 'h']]);
    expect(cmd.words.map((w) => resolveWord(w, vars))).toEqual(['a', 'b c', 'd $e', 'f g', 'h', 'j']);
  });

  it('property: a quoted word round-trips', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }).filter((s) => !s.includes("'")), (s) => {
        const [cmd] = parseShell(`prog '${s}'`);
        expect(resolveWord(cmd.words[1], new Map())).toBe(s);
      }),
    );
  });
});
