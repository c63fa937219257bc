import { readFileSync } from 'node:fs';
import { parse } from '@ast-grep/napi';
import { describe, expect, it } from 'vitest';
import { ensureAstGrepLanguages, PYTHON } from '../../../src/engine/facts/astGrepLanguages.js';
import { matchRules } from '../../../src/engine/facts/pythonFacts.js';
import { PYTHON_RULES, RULE_TRIGGERS, type PythonRuleName } from '../../../src/engine/facts/pythonRules.js';

/** Every rule has something to select here, next to near misses of each. */
const EVERY_RULE = `
import argparse, click
from dataclasses import dataclass, field
from pydantic import BaseModel

LR = 3e-4
a, b = 1, 2
x = y = 5
name = some_call()

@dataclass
class TrainConfig:
    epochs: int = 10
    dropout = 0.1

class Settings(BaseModel):
    batch_size: int = 32

class Plain:
    seed = 42
    def __init__(self, hidden: int = 768, act="gelu", *, p=0.5):
        self.fc1 = nn.Linear(512, 256)
        self.fc1(x)
        super().__init__(3)
        out = self.encoder.layer(4).norm(eps=1e-5)

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=1e-3)
parser.set_defaults(epochs=3)
lr = cfg.get("lr", 0.01)
wd = getattr(args, "weight_decay", 0.0)
nope = cfg.get(key, 0.01)

@click.command()
@click.option("--batch-size", default=64)
@option("--seed", default=0)
def main(batch_size, seed):
    opt = torch.optim.AdamW(params, lr=2e-5, betas=(0.9, 0.999))
    sched = StepLR(opt, 10, gamma=0.1)
    print("epochs", 3)
    if epochs > 100 or 0.5 <= p < 1:
        pass
    df = df[df["year"].isin([2017, 2018]) & df.age.between(18, 65)]
    conf = {"model": {"layers": 12, f"k{i}": 1, f"plain": 2}, 3: "three"}
    run(config={"lr": 1e-4})
    return df
`;

type Spanned = { range(): { start: { index: number }; end: { index: number } } };

function spans(nodes: Spanned[]): string[] {
  return nodes.map((n) => `${n.range().start.index}-${n.range().end.index}`).sort();
}

const SOURCES: [string, string][] = [
  ['every rule', EVERY_RULE],
  ['examples/tiny-sentiment/train.py', readFileSync('examples/tiny-sentiment/train.py', 'utf8')],
  ['no triggers', 'x = 1\nprint(x)\nif x < 2: f(3)\n'],
];

describe('the combined Python rule', () => {
  ensureAstGrepLanguages();
  for (const [label, source] of SOURCES) {
    it(`selects what each rule selects alone (${label})`, () => {
      const root = parse(PYTHON, source).root();
      const combined = matchRules(root, source);
      let compared = 0;
      for (const rule of Object.keys(PYTHON_RULES) as PythonRuleName[]) {
        // Rules whose trigger text is absent are skipped by design; dataclass-like classes are
        // only sorted out when some class-level assignment needs them.
        if (RULE_TRIGGERS[rule] && !RULE_TRIGGERS[rule].some((t) => source.includes(t))) continue;
        if (rule === 'dataclassLikeClass' && combined.classAttribute.length === 0) continue;
        expect([rule, ...spans(combined[rule].map((m) => m.node))]).toEqual([rule, ...spans(root.findAll(PYTHON_RULES[rule]))]);
        compared += 1;
      }
      expect(compared).toBeGreaterThan(0);
    });
  }

  it('has a match for every rule in the sample that covers them all', () => {
    const root = parse(PYTHON, EVERY_RULE).root();
    const combined = matchRules(root, EVERY_RULE);
    const empty = (Object.keys(PYTHON_RULES) as PythonRuleName[]).filter((r) => combined[r].length === 0);
    expect(empty).toEqual([]);
  });
});
