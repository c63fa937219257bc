import { describe, expect, it } from 'vitest';
import type { Fact } from '../../../src/engine/facts/fact.js';
import { extractPythonFacts } from '../../../src/engine/facts/pythonFacts.js';

function facts(src: string): Fact[] {
  return extractPythonFacts('pkg/train.py', src);
}

function only(all: Fact[], form: Fact['form'], path: string): Fact {
  const found = all.filter((f) => f.form === form && f.path === path);
  expect(found, `${form} ${path} in ${JSON.stringify(all.map((f) => `${f.form} ${f.path}`))}`).toHaveLength(1);
  return found[0];
}

function none(all: Fact[], form: Fact['form'], path: string): void {
  expect(all.filter((f) => f.form === form && f.path === path)).toEqual([]);
}

describe('assignments', () => {
  it('records a literal assignment with 1-based value position, snippet and source', () => {
    const f = only(facts('import os\nlr = 3e-4\n'), 'assignment', 'lr');
    expect(f).toMatchObject({
      rawKey: 'lr', value: 0.0003, file: 'pkg/train.py', line: 2, column: 6, endLine: 2, endColumn: 10,
      source: 'ast', snippet: 'lr = 3e-4',
    });
    expect(f.flags).toBeUndefined();
  });

  it('handles annotated assignments and skips annotations without a value', () => {
    const all = facts('x: int = 32\ny: int\n');
    expect(only(all, 'assignment', 'x').value).toBe(32);
    none(all, 'assignment', 'y');
  });

  it('keeps dotted attribute targets in the path with the last segment as rawKey', () => {
    const all = facts('class M:\n    def __init__(self):\n        self.n_layers = 12\ncfg.lr = 1e-3\n');
    expect(only(all, 'assignment', 'self.n_layers')).toMatchObject({ rawKey: 'n_layers', value: 12, line: 3 });
    expect(only(all, 'assignment', 'cfg.lr')).toMatchObject({ rawKey: 'lr', value: 0.001 });
  });

  it('gives one fact per name in tuple unpacking, each at its own value', () => {
    const all = facts('SCORE_MIN, SCORE_MAX = 300, 850\n(a, b) = (1, 2)\n');
    expect(only(all, 'assignment', 'SCORE_MIN')).toMatchObject({ value: 300, column: 24, endColumn: 27 });
    expect(only(all, 'assignment', 'SCORE_MAX')).toMatchObject({ value: 850, column: 29 });
    expect(only(all, 'assignment', 'a').value).toBe(1);
    expect(only(all, 'assignment', 'b').value).toBe(2);
  });

  it('turns lists and tuples of literals into arrays, and skips ones with non-literals', () => {
    const all = facts("GRADE_CUTOFFS = [580, 620, 660]\nbetas = (0.9, 0.999)\nmixed = [1, foo]\nnames = ['a', \"b\"]\n");
    expect(only(all, 'assignment', 'GRADE_CUTOFFS').value).toEqual([580, 620, 660]);
    expect(only(all, 'assignment', 'betas').value).toEqual([0.9, 0.999]);
    expect(only(all, 'assignment', 'names').value).toEqual(['a', 'b']);
    none(all, 'assignment', 'mixed');
  });

  it('uses string subscripts as path segments', () => {
    const all = facts("config['lr'] = 0.1\ncfg['optim']['betas'] = (0.9, 0.95)\nx[i] = 3\n");
    expect(only(all, 'assignment', 'config.lr')).toMatchObject({ rawKey: 'lr', value: 0.1 });
    expect(only(all, 'assignment', 'cfg.optim.betas')).toMatchObject({ rawKey: 'betas', value: [0.9, 0.95] });
    expect(all.filter((f) => f.form === 'assignment')).toHaveLength(2);
  });

  it('converts Python literal syntax', () => {
    const all = facts([
      'a = 1_000', 'b = 0x10', 'c = True', 'd = False', 'e = -1', 'f = +2.5', 'g = 16 * 4', 'h = 2 ** 10',
      'i = 1 / 4', "j = r'\\d+'", "k = 'it\\'s'", 'l = "a" "b"', 'm = None', 'n = f"{x}"', "o = b'x'", 'p = 3j',
      'q = -(2e-5)', 'r = 1.', 's = .5', 't = 1E3',
    ].join('\n'));
    const v = (p: string) => only(all, 'assignment', p).value;
    expect([v('a'), v('b'), v('c'), v('d'), v('e'), v('f'), v('g'), v('h'), v('i')]).toEqual([1000, 16, true, false, -1, 2.5, 64, 1024, 0.25]);
    expect([v('j'), v('k'), v('l')]).toEqual(['\\d+', "it's", 'ab']);
    expect([v('q'), v('r'), v('s'), v('t')]).toEqual([-0.00002, 1, 0.5, 1000]);
    for (const p of ['m', 'n', 'o', 'p']) none(all, 'assignment', p);
  });

  it('binds the final value of a chained assignment to every target', () => {
    const all = facts('correct = total = 0\n');
    expect(only(all, 'assignment', 'correct').value).toBe(0);
    expect(only(all, 'assignment', 'total').value).toBe(0);
  });

  it('emits no assignment for a call on the right, but a call fact bound to the name', () => {
    const all = facts('from sklearn.linear_model import LogisticRegression\nmodel = LogisticRegression(C=0.5)\n');
    none(all, 'assignment', 'model');
    expect(only(all, 'call', 'model=LogisticRegression')).toMatchObject({
      rawKey: 'LogisticRegression', value: 'LogisticRegression', call: 'LogisticRegression', line: 2, column: 9,
    });
    expect(only(all, 'keyword', 'LogisticRegression.C')).toMatchObject({ rawKey: 'C', value: 0.5, call: 'LogisticRegression' });
  });
});

describe('calls', () => {
  it('records keyword arguments with the dotted callee', () => {
    const src = [
      'args = TrainingArguments(learning_rate=2e-5, num_train_epochs=3, optim="adamw_torch")',
      'opt = torch.optim.AdamW(params, lr=3e-4, betas=(0.9, 0.95))',
      "df = df.drop(columns=['a', 'b'])",
      'd = nn.Dropout(p=0.1)',
    ].join('\n');
    const all = facts(src);
    expect(only(all, 'keyword', 'TrainingArguments.learning_rate')).toMatchObject({ rawKey: 'learning_rate', value: 0.00002, call: 'TrainingArguments', line: 1, column: 40 });
    expect(only(all, 'keyword', 'TrainingArguments.optim').value).toBe('adamw_torch');
    expect(only(all, 'keyword', 'torch.optim.AdamW.betas')).toMatchObject({ value: [0.9, 0.95], call: 'torch.optim.AdamW' });
    expect(only(all, 'keyword', 'df.drop.columns').value).toEqual(['a', 'b']);
    expect(only(all, 'keyword', 'nn.Dropout.p').value).toBe(0.1);
    none(all, 'keyword', 'torch.optim.AdamW.params');
  });

  it('records positional literals in order, with <expr> for the rest', () => {
    const src = [
      'conv = nn.Conv2d(3, 32, 3)',
      'fc1 = nn.Linear(128 * 4 * 4, 512)',
      'y = np.clip(x, 0, 1)',
      "train = df[df['issue_year'].between(2012, 2016)]",
      'drop = nn.Dropout(0.5)',
      'f(None, 2)',
    ].join('\n');
    const all = facts(src);
    expect(only(all, 'positional', 'nn.Conv2d')).toMatchObject({ rawKey: 'Conv2d', value: [3, 32, 3], call: 'nn.Conv2d', column: 17 });
    expect(only(all, 'positional', 'nn.Linear').value).toEqual([2048, 512]);
    expect(only(all, 'positional', 'np.clip')).toMatchObject({ rawKey: 'clip', value: ['<expr>', 0, 1] });
    expect(only(all, 'positional', 'issue_year.between')).toMatchObject({ rawKey: 'between', value: [2012, 2016], call: "df['issue_year'].between" });
    expect(only(all, 'positional', 'nn.Dropout').value).toEqual([0.5]);
    expect(only(all, 'positional', 'f').value).toEqual(['None', 2]);
  });

  it('skips positional facts of calls without literals and of message calls', () => {
    const all = facts('build_model(cfg)\nprint("epochs", 3)\nlogger.info("lr %s", 3)\n');
    expect(all.filter((f) => f.form === 'positional')).toEqual([]);
  });

  it('records constructors and dotted calls once per callee and line, not plain function calls', () => {
    const all = facts('model = SmallCNN(num_classes=10).to(device)\nx = Wrap(Wrap(1))\ny = helper(2)\nself.fc1(x)\n');
    expect(only(all, 'call', 'model=SmallCNN')).toMatchObject({ value: 'SmallCNN' });
    expect(only(all, 'call', 'model=SmallCNN().to').rawKey).toBe('to');
    expect(all.filter((f) => f.form === 'call' && f.value === 'Wrap')).toHaveLength(1);
    expect(all.filter((f) => f.form === 'call' && (f.value === 'helper' || f.value === 'self.fc1'))).toEqual([]);
  });
});

describe('imports', () => {
  it('records the full dotted name with the imported name as rawKey', () => {
    const all = facts('import torch\nimport torch.nn as nn\nfrom sklearn.linear_model import LogisticRegression as LR, Ridge\nfrom . import utils\nfrom ..models import gpt\nfrom x import *\n');
    expect(only(all, 'import', 'torch')).toMatchObject({ rawKey: 'torch', value: 'torch', line: 1, column: 8 });
    expect(only(all, 'import', 'torch.nn').rawKey).toBe('nn');
    expect(only(all, 'import', 'sklearn.linear_model.LogisticRegression')).toMatchObject({ rawKey: 'LogisticRegression', value: 'sklearn.linear_model.LogisticRegression' });
    expect(only(all, 'import', 'sklearn.linear_model.Ridge').rawKey).toBe('Ridge');
    expect(only(all, 'import', '.utils').rawKey).toBe('utils');
    expect(only(all, 'import', '..models.gpt').rawKey).toBe('gpt');
    expect(all.filter((f) => f.form === 'import')).toHaveLength(6);
  });
});

describe('CLI defaults', () => {
  it('reads argparse defaults keyed by the long flag', () => {
    const src = [
      'p = argparse.ArgumentParser()',
      'p.add_argument("--lr", type=float, default=3e-4, help="learning rate")',
      'p.add_argument("-b", "--batch-size", type=int, default=128)',
      'p.add_argument("--wd", dest="weight_decay", default=0.01)',
      'p.add_argument("--fp16", action="store_true")',
      'p.add_argument("--warmup", type=float, default="0.06")',
      'p.add_argument("epochs", type=int, default=30, nargs="?")',
      'p.add_argument("--name")',
      'p.set_defaults(seed=42)',
    ].join('\n');
    const all = facts(src);
    const lrColumn = src.split('\n')[1].indexOf('3e-4') + 1;
    expect(only(all, 'default', 'args.lr')).toMatchObject({ rawKey: 'lr', value: 0.0003, line: 2, column: lrColumn, call: 'p.add_argument' });
    expect(only(all, 'default', 'args.batch_size').value).toBe(128);
    expect(only(all, 'default', 'args.weight_decay').value).toBe(0.01);
    expect(only(all, 'default', 'args.fp16').value).toBe(false);
    expect(only(all, 'default', 'args.warmup').value).toBe(0.06);
    expect(only(all, 'default', 'args.epochs').value).toBe(30);
    expect(only(all, 'default', 'args.seed')).toMatchObject({ value: 42, line: 9 });
    none(all, 'default', 'args.name');
    // The declarations are defaults, not generic keyword arguments or calls.
    expect(all.filter((f) => f.form === 'keyword' || f.form === 'positional')).toEqual([]);
  });

  it('reads click option defaults', () => {
    const src = [
      '@click.command()',
      "@click.option('--lr', '-l', default=3e-4, type=float)",
      "@click.option('--max-epochs', default=10)",
      "@click.option('--amp/--no-amp', default=True)",
      "@click.option('--verbose', is_flag=True)",
      'def main(lr, max_epochs, amp, verbose):',
      '    pass',
    ].join('\n');
    const all = facts(src);
    expect(only(all, 'default', 'args.lr')).toMatchObject({ rawKey: 'lr', value: 0.0003, line: 2 });
    expect(only(all, 'default', 'args.max_epochs').value).toBe(10);
    expect(only(all, 'default', 'args.amp').value).toBe(true);
    expect(only(all, 'default', 'args.verbose').value).toBe(false);
  });
});

describe('classes and functions', () => {
  it('reads dataclass, attrs and pydantic field defaults as ClassName.field', () => {
    const src = [
      '@dataclass',
      'class OptimConfig:',
      '    lr: float = 6e-4',
      '    betas: Tuple[float, float] = (0.9, 0.95)',
      '    warmup: int = field(default=700)',
      '    tags: list = field(default_factory=list)',
      '    name: str',
      '',
      '@dataclass(frozen=True)',
      'class Frozen:',
      '    n: int = 3',
      '',
      'class Settings(BaseModel):',
      '    dropout: float = Field(0.1, ge=0)',
      '    depth: int = 12',
      '',
      '@attr.s',
      'class A:',
      '    k = attr.ib(default=5)',
    ].join('\n');
    const all = facts(src);
    expect(only(all, 'default', 'OptimConfig.lr')).toMatchObject({ rawKey: 'lr', value: 0.0006, line: 3, column: 17 });
    expect(only(all, 'default', 'OptimConfig.betas').value).toEqual([0.9, 0.95]);
    expect(only(all, 'default', 'OptimConfig.warmup').value).toBe(700);
    none(all, 'default', 'OptimConfig.tags');
    expect(only(all, 'default', 'Frozen.n').value).toBe(3);
    expect(only(all, 'default', 'Settings.dropout').value).toBe(0.1);
    expect(only(all, 'default', 'Settings.depth').value).toBe(12);
    expect(only(all, 'default', 'A.k').value).toBe(5);
    expect(all.filter((f) => f.form === 'assignment')).toEqual([]);
  });

  it('records plain class attributes as assignments qualified by the class', () => {
    const all = facts('class Config:\n    lr = 3e-4\n    def f(self):\n        local = 1\n');
    expect(only(all, 'assignment', 'Config.lr').value).toBe(0.0003);
    expect(only(all, 'assignment', 'local').value).toBe(1);
  });

  it('records parameter defaults; __init__ ones under the class name', () => {
    const src = 'class SmallCNN(nn.Module):\n    def __init__(self, num_classes: int = 10, dropout=0.5, act=None):\n        pass\n\ndef fit(x, max_bins=10):\n    pass\n';
    const all = facts(src);
    expect(only(all, 'default', 'SmallCNN.num_classes')).toMatchObject({ rawKey: 'num_classes', value: 10, line: 2 });
    expect(only(all, 'default', 'SmallCNN.dropout').value).toBe(0.5);
    expect(only(all, 'default', 'fit.max_bins').value).toBe(10);
    none(all, 'default', 'SmallCNN.act');
  });

  it('records dict.get / getattr fallbacks as defaults', () => {
    const all = facts("lr = cfg.get('lr', 3e-4)\nn = getattr(args, 'n_layers', 12)\nm = cfg.get('model')\n");
    expect(only(all, 'default', 'cfg.lr')).toMatchObject({ rawKey: 'lr', value: 0.0003 });
    expect(only(all, 'default', 'args.n_layers').value).toBe(12);
    expect(all.filter((f) => f.form === 'default')).toHaveLength(2);
  });
});

describe('dict literals', () => {
  it('records nested keys with their path, prefixed by the assigned name', () => {
    const src = "CONFIG = {\n    'lr': 3e-4,\n    'optim': {'betas': (0.9, 0.999), 'name': 'adamw'},\n    'model': build(),\n    1: 'one',\n}\n";
    const all = facts(src);
    expect(only(all, 'assignment', 'CONFIG.lr')).toMatchObject({ rawKey: 'lr', value: 0.0003, line: 2 });
    expect(only(all, 'assignment', 'CONFIG.optim.betas')).toMatchObject({ rawKey: 'betas', value: [0.9, 0.999], line: 3 });
    expect(only(all, 'assignment', 'CONFIG.optim.name').value).toBe('adamw');
    expect(only(all, 'assignment', 'CONFIG.1').value).toBe('one');
    none(all, 'assignment', 'CONFIG.model');
  });

  it('prefixes a dict passed as a keyword argument with Callee.kw, and a bare dict with nothing', () => {
    const all = facts("run(config={'lr': 0.1})\njson.dump({'epochs': 3}, fh)\n");
    expect(only(all, 'assignment', 'run.config.lr').value).toBe(0.1);
    expect(only(all, 'assignment', 'epochs').value).toBe(3);
  });
});

describe('comparisons', () => {
  it('records literal comparisons keyed by the name or subscript on the other side', () => {
    const src = [
      "test = df[df['issue_year'] == 2017]",
      'keep = x >= 0.5',
      'ok = 3 < depth <= 12',
      "bad = loan_status in ['Charged Off', 'Default']",
      "if cfg['scheduler'] == 'cosine': pass",
      "if __name__ == '__main__': pass",
      'same = a == b',
    ].join('\n');
    const all = facts(src);
    expect(only(all, 'compare', 'issue_year==')).toMatchObject({ rawKey: 'issue_year', value: 2017, line: 1, column: src.indexOf('2017') + 1 });
    expect(only(all, 'compare', 'x>=').value).toBe(0.5);
    expect(only(all, 'compare', 'depth>').value).toBe(3);
    expect(only(all, 'compare', 'depth<=').value).toBe(12);
    expect(only(all, 'compare', 'loan_status in').value).toEqual(['Charged Off', 'Default']);
    expect(only(all, 'compare', 'scheduler==').value).toBe('cosine');
    expect(all.filter((f) => f.form === 'compare')).toHaveLength(6);
  });

  it('records pandas isin/between as comparisons on the column, besides the positional fact', () => {
    const all = facts("df['default'] = df['loan_status'].isin(['Charged Off', 'Default'])\nm = s.between(2012, 2016)\n");
    expect(only(all, 'compare', 'loan_status.isin')).toMatchObject({ rawKey: 'loan_status', value: ['Charged Off', 'Default'] });
    expect(only(all, 'positional', 'loan_status.isin').value).toEqual([['Charged Off', 'Default']]);
    expect(only(all, 'compare', 's.between').value).toEqual([2012, 2016]);
  });
});

describe('robustness', () => {
  it('never takes facts from comments', () => {
    const all = facts('# lr = 1e-2  # first sweep\n# max_epochs = 100\nx = 1  # lr = 1e-2\n"""docstring: lr = 5"""\n');
    expect(all.map((f) => `${f.form} ${f.path}`)).toEqual(['assignment x']);
  });

  it('keeps what parses in broken Python', () => {
    const all = facts('def broken(:\n    return\nlr = 3e-4\nmodel = Net(\nepochs = 30\n');
    expect(only(all, 'assignment', 'lr').value).toBe(0.0003);
  });

  it('is not derailed by a NUL character in the source', () => {
    const all = facts('x = "\0"\ny = 2\n');
    expect(only(all, 'assignment', 'y')).toMatchObject({ value: 2, line: 2 });
    expect(only(all, 'assignment', 'x').line).toBe(1);
  });

  it('counts columns in UTF-16 units like JavaScript strings', () => {
    const src = 'label = "😀é"; lr = 7\n';
    const f = only(facts(src), 'assignment', 'lr');
    expect(f.column).toBe(src.indexOf('7') + 1);
    expect(f.endColumn).toBe(src.indexOf('7') + 2);
  });

  it('passes flags to every fact', () => {
    const all = extractPythonFacts('tests/test_x.py', 'lr = 1\nf(a=2)\n', ['test']);
    expect(all.length).toBeGreaterThan(1);
    for (const f of all) expect(f.flags).toEqual(['test']);
  });

  it('cuts long lines to a short snippet around the value', () => {
    const src = `x = [${Array.from({ length: 200 }, (_, i) => i).join(', ')}]; lr = 3e-4\n`;
    const f = only(facts(src), 'assignment', 'lr');
    expect(f.snippet.length).toBeLessThanOrEqual(200);
    expect(f.snippet).toContain('lr = 3e-4');
  });

  it('returns facts in source order', () => {
    const all = facts('import a\nb = 2\nc = F(d=4)\n');
    const lines = all.map((f) => f.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });
});
