import { describe, expect, it } from 'vitest';
import { runEngine } from '../../support/runEngine.js';

describe('numbers and units', () => {
  it('matches notation and displayed precision, not just digits', async () => {
    const run = await runEngine({
      'train.py': 'from transformers import TrainingArguments\nargs = TrainingArguments(learning_rate=2e-5, weight_decay=1e-2, warmup_ratio=0.1)\n',
      'config.json': '{\n  "vocab_size": 32000,\n  "hidden_size": 512\n}\n',
      'results/eval_results.json': '{\n  "eval_accuracy": 0.87654,\n  "eval_f1": 0.8512\n}\n',
      'card.md': [
        '# m', '',
        '| Setting | Value |', '|---|---|', '| Learning rate | 0.00002 |', '| Weight decay | 0.01 |', '| Warmup | 10% of steps |', '',
        'The vocabulary has 32,000 tokens.', '',
        'The hidden size is 768.', '',
        'Accuracy on the test split is 87.7%.', '',
        'Macro F1 is 85.1%.', '',
      ].join('\n'),
    });
    expect(run.claim('Learning rate').verdict).toBe('supported');
    expect(run.claim('Weight decay').verdict).toBe('supported');
    expect(run.claim('Warmup').verdict).toBe('supported');
    expect(run.claim('32,000 tokens').verdict).toBe('supported');
    const hidden = run.claim('hidden size is 768');
    expect(hidden.verdict).toBe('contradicted');
    expect(hidden.explanation).toContain('512');
    expect(hidden.evidence[0]).toMatchObject({ path: 'config.json', stance: 'contradicts' });
    expect(hidden.evidence[0].range.start.line).toBe(3);
    expect(run.claim('87.7%').verdict).toBe('supported');
    expect(run.claim('85.1%').verdict).toBe('supported');
  });

  it('requires settings to be equal but lets measured values round', async () => {
    const run = await runEngine({
      'train.py': 'import argparse\np = argparse.ArgumentParser()\np.add_argument("--lr", type=float, default=0.05)\n',
      'metrics.csv': 'epoch,loss,val_loss\n1,2.0,2.1\n2,1.5,1.62\n',
      'card.md': '# m\n\nThe learning rate is 0.1.\n\nThe final validation loss is 1.6.\n',
    });
    expect(run.claim('learning rate is 0.1').verdict).toBe('contradicted');
    expect(run.claim('validation loss is 1.6').verdict).toBe('supported');
  });

  it('checks inequalities against the measured value, also for percentages', async () => {
    const run = await runEngine({
      'eval.py': 'print("done")\n',
      'logs/eval.log': 'holdout auc 0.8123\nholdout gini 0.55\ncalibration gap 0.42 pp\n',
      'card.md': '# m\n\nThe AUC is above 0.80.\n\nThe Gini coefficient is above 0.60.\n\nThe calibration gap is at most 1 percentage point.\n',
    });
    expect(run.claim('AUC is above 0.80').verdict).toBe('supported');
    expect(run.claim('Gini coefficient is above 0.60').verdict).toBe('contradicted');
    expect(run.claim('at most 1 percentage point').verdict).toBe('supported');
  });

  it('does not let a metric of another evaluation contradict a claim about an unseen data set', async () => {
    const run = await runEngine({
      'results/metrics.json': '{\n  "test_accuracy": 0.912\n}\n',
      'card.md': '# m\n\nTest accuracy is 91.2%.\n\nOn the Antarctic penguin benchmark accuracy falls to 70.1%.\n',
    });
    expect(run.claim('91.2%').verdict).toBe('supported');
    expect(run.claim('70.1%').verdict).toBe('unverified');
  });

  it('knows the names Hugging Face configs and cards give dropout, feed-forward and per-device batches', async () => {
    const run = await runEngine({
      'config.json': '{\n  "hidden_dropout_prob": 0.1,\n  "attention_probs_dropout_prob": 0.1,\n  "intermediate_size": 3072\n}\n',
      'train.py': 'from transformers import TrainingArguments\nargs = TrainingArguments(per_device_train_batch_size=32)\n',
      'card.md': '# m\n\nDropout is 0.2 on hidden states.\n\nThe 3,072-dimensional feed-forward block follows attention.\n\nWe train with 32 examples per device.\n',
    });
    const dropout = run.claim('Dropout is 0.2');
    expect(dropout.verdict).toBe('contradicted');
    expect(dropout.explanation).toContain('dropout_prob');
    expect(run.claim('feed-forward').verdict).toBe('supported');
    expect(run.claim('examples per device').verdict).toBe('supported');
  });

  it('reads a named quantity of 2048 as a number, a clause after a comma on its own, and sequences per GPU as a batch', async () => {
    const run = await runEngine({
      'configs/run.yaml': 'model:\n  block_size: 2048\n  d_model: 1024\noptim:\n  min_lr: 3.0e-5\n  warmup_steps: 2000\ntrain:\n  micro_batch_size: 16\n',
      'card.md': '# m\n\n| Parameter | Value |\n|---|---|\n| Sequence length | 2048 |\n\nThe rate decays to a minimum of 3e-5, 1k warmup steps precede it.\n\nEach GPU takes 16 sequences per GPU.\n',
    });
    expect(run.claim('Sequence length').verdict).toBe('supported');
    const warmup = run.claim('1k warmup');
    expect(warmup.verdict).toBe('contradicted');
    expect(warmup.explanation).toContain('warmup_steps = 2000');
    expect(run.claim('sequences per GPU').verdict).toBe('supported');
  });

  it('checks plain column names a card says are dropped against the drop lists', async () => {
    const run = await runEngine({
      'features.py': 'import pandas as pd\nNUMERIC = ["age", "income"]\n\ndef load(path):\n    df = pd.read_csv(path)\n    return df.drop(columns=["id"])[NUMERIC]\n',
      'card.md': '# m\n\nThe customer id column is dropped.\n\nWe drop the id and age columns.\n',
    });
    expect(run.claim('customer id column').verdict).toBe('supported');
    expect(run.claim('id and age columns').verdict).toBe('contradicted');
  });

  it('reads a value in parentheses as about the noun before them', async () => {
    const run = await runEngine({
      'configs/base.yaml': 'specaug:\n  freq_mask: 15\n  time_mask: 25\nmodel:\n  d_model: 192\n',
      'card.md': '# m\n\nWe apply frequency masks (width up to 15).\n\nWe apply time masks (width up to 10).\n\nThe model width (d_model) is 192.\n',
    });
    expect(run.claim('frequency masks').verdict).toBe('supported');
    const time = run.claim('time masks');
    expect(time.verdict).toBe('contradicted');
    expect(time.explanation).toContain('time_mask = 25');
    expect(run.claim('d_model').verdict).toBe('supported');
  });

  it('tells the optimizer epsilon of a Trainer card from the layer-norm epsilon of a model config', async () => {
    const run = await runEngine({
      'config.json': '{\n  "layer_norm_eps": 1e-05,\n  "hidden_size": 768\n}\n',
      'train.py': 'from transformers import TrainingArguments\nargs = TrainingArguments(adam_epsilon=1e-8)\n',
      'card.md': '# m\n\n- optimizer: Adam with epsilon=1e-07\n- LayerNorm epsilon of 1e-5\n- layer norm eps: 1e-6\n',
    });
    const adam = run.claim('with epsilon');
    expect(adam.verdict).toBe('contradicted');
    expect(adam.explanation).toContain('adam_epsilon');
    expect(run.claim('LayerNorm epsilon').verdict).toBe('supported');
    const ln = run.claim('layer norm eps');
    expect(ln.verdict).toBe('contradicted');
    expect(ln.explanation).toContain('layer_norm_eps');
  });

  it('ties a year to the sample the filtering line makes', async () => {
    const run = await runEngine({
      'prep.py': 'import pandas as pd\ndf = pd.read_csv("loans.csv")\ntrain = df[df["issue_year"].between(2012, 2016)].copy()\ntest = df[df["issue_year"] == 2017].copy()\n',
      'card.md': '# m\n\nThe out-of-time test covers 2019 originations.\n\nThe test set holds loans from 2017.\n\nThe bank was founded in 1998.\n',
    });
    const wrong = run.claim('2019 originations');
    expect(wrong.verdict).toBe('contradicted');
    expect(wrong.evidence[0]).toMatchObject({ path: 'prep.py', stance: 'contradicts' });
    expect(run.claim('from 2017').verdict).toBe('supported');
    expect(run.claim('founded in 1998').verdict).toBe('unverified');
  });

  it('supports an effective batch the sentence multiplies out without a times sign', async () => {
    const files = {
      'configs/run.yaml': 'train:\n  micro_batch_size: 16\n  grad_accum_steps: 4\n',
      'launch.sh': 'torchrun --nproc_per_node=8 train.py --config configs/run.yaml\n',
    };
    const run = await runEngine({
      ...files,
      'card.md': '# m\n\nThe effective batch size is 512 sequences: 16 sequences per GPU, gradient accumulation of 4 and 8 GPUs.\n\nThe effective batch size is 256 sequences: 16 sequences per GPU, gradient accumulation of 4 and 8 GPUs.\n',
    });
    const [right, wrong] = run.claims.filter((c) => /effective batch/i.test(c.text));
    expect(right.verdict).toBe('supported');
    expect(right.explanation).toContain('16 × 4 × 8 = 512');
    // The factors multiply to another number: no support, and no contradiction either.
    expect(wrong.verdict).toBe('unverified');
  });

  it('holds a metric for one class against that class, not the overall figure', async () => {
    const run = await runEngine({
      'eval.log': 'Test accuracy: 88.47%\n',
      'per_class.log': 'airplane 0.905\ncat 0.741\ntruck 0.955\n',
      'configs/model.yaml': 'num_classes: 10\n',
      'card.md': '# m\n\nCat accuracy is 74.1%.\n\nAccuracy on the cat class is 81.2%.\n\nTest accuracy is 91.0%.\n',
    });
    const cat = run.claim('Cat accuracy');
    expect(cat.verdict).toBe('supported');
    expect(cat.evidence[0]).toMatchObject({ path: 'per_class.log', stance: 'supports' });
    // Neither the overall accuracy nor the class count (a percentage is no count) contradicts it.
    const other = run.claim('cat class');
    expect(other.verdict).toBe('unverified');
    expect(other.explanation).toContain('cat');
    expect(run.claim('Test accuracy is 91.0%').verdict).toBe('contradicted');
  });

  it('knows the leaf and split minimums of tree models', async () => {
    const run = await runEngine({
      'train.py': 'from sklearn.ensemble import RandomForestClassifier\nrf = RandomForestClassifier(min_samples_leaf=5, min_samples_split=20)\n',
      'card.md': '# m\n\nA leaf needs a minimum of 5 samples per leaf.\n\n- min_samples_split: 10\n',
    });
    expect(run.claim('samples per leaf').verdict).toBe('supported');
    const split = run.claim('min_samples_split');
    expect(split.verdict).toBe('contradicted');
    expect(split.explanation).toContain('min_samples_split = 20');
  });

  it('reads a count of batches as no batch size', async () => {
    const run = await runEngine({
      'configs/run.yaml': 'train:\n  batch_size: 16\n  eval_iters: 200\n',
      'card.md': '# m\n\nEach evaluation runs over 200 batches.\n\nWe use a batch of 32 sequences.\n',
    });
    expect(run.claim('200 batches').verdict).not.toBe('contradicted');
    expect(run.claim('batch of 32').verdict).toBe('contradicted');
  });

  it('reads a long table whose rows name their metric in a column, and keeps a placed metric to its evaluation', async () => {
    const run = await runEngine({
      'pd_model.log': 'Test AUC: 0.7164\nTest KS: 0.3108\n',
      'lgd_model.log': 'stage 1 (recovery > 0) test AUC: 0.6418\n',
      'card.md': [
        '# m', '',
        '| Model | Metric | Value |', '|---|---|---|', '| LGD stage 1 (recovery) | AUC | 0.64 |', '| PD model | KS | 0.35 |', '',
        "The PD model's AUC is 0.64.", '',
      ].join('\n'),
    });
    expect(run.claim('LGD stage 1').verdict).toBe('supported');
    const ks = run.claim('PD model | KS');
    expect(ks.verdict).toBe('contradicted');
    expect(ks.explanation).toContain('0.3108');
    // The LGD model's AUC of 0.6418 is another evaluation's: it does not support the PD model's.
    expect(run.claim("PD model's AUC").verdict).not.toBe('supported');
    expect(run.claims.some((c) => /Metric/.test(c.text))).toBe(false);
  });

  it('keeps the cells of a notebook apart when they print the same name, and its logs as series', async () => {
    const out = (lines: string[]) => [{ name: 'stdout', output_type: 'stream', text: lines.map((l) => `${l}\n`) }];
    const cell = (source: string, lines: string[]) => ({ cell_type: 'code', execution_count: 1, id: 'c', metadata: {}, source: [source], outputs: out(lines) });
    const nb = {
      cells: [
        cell('train()', ['epoch 1 train_loss 0.90', 'epoch 2 train_loss 0.61', 'epoch 3 train_loss 0.42']),
        cell('lgd_report()', ['LGD test MAE: 0.0868 | R2: 0.1764']),
        cell('ead_report()', ['EAD (CCF) test MAE: 0.1064 | R2: 0.5467']),
      ],
      metadata: {}, nbformat: 4, nbformat_minor: 5,
    };
    const run = await runEngine({
      'models.ipynb': `${JSON.stringify(nb, null, 1)}\n`,
      'card.md': '# m\n\nThe LGD model reaches an R² of 0.18.\n\nThe final training loss is 0.42.\n\nThe final training loss is 0.61.\n',
    });
    expect(run.claim('LGD model').verdict).toBe('supported');
    expect(run.claim('loss is 0.42').verdict).toBe('supported');
    expect(run.claim('loss is 0.61').verdict).toBe('contradicted');
  });

  it('takes a split named by how it is drawn ("Out-of-time") for no data set of its own', async () => {
    const run = await runEngine({
      'logs/eval.log': 'Test KS 0.3108\nTest AUC 0.7164\n',
      'card.md': '# m\n\nOut-of-time KS exceeds 0.40.\n\nThe Hold-out AUC is above 0.70.\n\nOn the Zanzibar-2 portfolio the KS exceeds 0.40.\n',
    });
    expect(run.claim('Out-of-time KS').verdict).toBe('contradicted');
    expect(run.claim('Hold-out AUC').verdict).toBe('supported');
    expect(run.claim('Zanzibar-2').verdict).toBe('unverified');
  });

  it('reads sample rates in kHz and lists of values stated together', async () => {
    const run = await runEngine({
      'audio.yaml': 'sample_rate: 22050\nn_fft: 1024\n',
      'model.py': 'import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        self.a = Block(3, 48)\n        self.b = Block(48, 96)\n        self.c = Block(96, 192)\n',
      'card.md': '# m\n\nAudio is resampled to 22.05 kHz.\n\nThe three blocks have 48, 96 and 192 channels.\n',
    });
    expect(run.claim('22.05 kHz').verdict).toBe('supported');
    expect(run.claim('48, 96 and 192').verdict).toBe('supported');
  });

  it('splits a sentence whose parts disagree and points at the wrong part', async () => {
    const run = await runEngine({
      'train.py': 'import torch\nopt = torch.optim.AdamW(params, lr=3e-4, betas=(0.9, 0.98))\n',
      'card.md': '# m\n\nWe use AdamW at a learning rate of 1e-3.\n',
    });
    expect(run.claim('AdamW').verdict).toBe('supported');
    const lr = run.claim('1e-3');
    expect(lr.verdict).toBe('contradicted');
    expect(lr.text).not.toContain('AdamW');
  });
});

describe('names, families and packages', () => {
  it('contradicts a model family the code never builds when it builds another', async () => {
    const run = await runEngine({
      'notebooks/fit.py': 'from sklearn.ensemble import RandomForestClassifier\nclf = RandomForestClassifier(n_estimators=300)\n',
      'card.md': '# m\n\nThe classifier is a gradient boosting model with 300 trees.\n\nWe also tried a random forest.\n',
    });
    const family = run.claim('gradient boosting');
    expect(family.verdict).toBe('contradicted');
    expect(family.evidence[0].snippet).toContain('RandomForestClassifier');
    expect(run.claim('random forest').verdict).toBe('supported');
  });

  it('checks pinned versions and the license', async () => {
    const run = await runEngine({
      'requirements.txt': 'torch==2.1.0\nnumpy>=1.24\n',
      'LICENSE': 'MIT License\n\nCopyright (c) 2024\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n',
      'card.md': '---\nlicense: apache-2.0\n---\n# m\n\nBuilt with PyTorch 2.1.0 and torchvision 0.16.0.\n\nTrained with PyTorch 2.3.0.\n',
    });
    expect(run.claim('license').verdict).toBe('contradicted');
    expect(run.claim('PyTorch 2.1.0').verdict).not.toBe('contradicted');
    expect(run.claim('PyTorch 2.3.0').verdict).toBe('contradicted');
  });

  it('checks dropped columns against the drop list', async () => {
    const nb = {
      cells: [{ cell_type: 'code', execution_count: 1, metadata: {}, outputs: [], source: [
        "df = df.drop(columns=['pay_amt', 'balance_end'])\n", "y = df['chargeoff_amt'] > 0\n",
      ] }],
      metadata: {}, nbformat: 4, nbformat_minor: 5,
    };
    const run = await runEngine({
      'prep.ipynb': JSON.stringify(nb, null, 1),
      'card.md': '# m\n\nPayment fields pay_amt and balance_end are dropped.\n\nLoss fields (chargeoff_amt and balance_end) are dropped too.\n',
    });
    expect(run.claim('pay_amt and balance_end').verdict).toBe('supported');
    const loss = run.claim('chargeoff_amt');
    expect(loss.verdict).toBe('contradicted');
    expect(loss.evidence[0].path).toBe('prep.ipynb');
  });

  it('checks a year of a data split against the filter', async () => {
    const run = await runEngine({
      'split.py': "train = df[df['vintage_year'].between(2015, 2019)]\ntest = df[df['vintage_year'] == 2020]\n",
      'card.md': '# m\n\nModels are fitted on loans with vintage from 2015 to 2019.\n\nThe out-of-time test uses the 2021 vintage.\n',
    });
    expect(run.claim('2015 to 2019').verdict).toBe('supported');
    expect(run.claim('2021 vintage').verdict).toBe('contradicted');
  });
});

describe('what is not checked', () => {
  it('marks use and contact sections not-checkable and honours the ignore marker', async () => {
    const run = await runEngine({
      'train.py': 'lr = 0.1\nepochs = 5\n',
      'card.md': '# m\n\nThe learning rate is 0.3. <!-- cardcheck-ignore -->\n\nWe train for 5 epochs.\n\n## Intended use\n\nFor research only.\n',
    });
    expect(run.claims.some((c) => c.text.includes('0.3'))).toBe(false);
    expect(run.claim('5 epochs').verdict).toBe('supported');
    expect(run.claim('research only').verdict).toBe('not-checkable');
  });
});

describe('credit-risk cards', () => {
  it('checks a default definition in days past due, a score cut-off and a Gini derived from the AUC', async () => {
    const run = await runEngine({
      'prep.py': "df['bad'] = (df['dpd'] >= 90).astype(int)\nAPPROVAL_CUTOFF = 540\n",
      'reports/validation.log': 'oot auc 0.7350\n',
      'card.md': '# PD model\n\nA default is 90 days past due or worse.\n\nApplicants below a cutoff score of 520 are declined.\n\nThe out-of-time Gini is 0.47.\n',
    });
    expect(run.claim('90 days past due').verdict).toBe('supported');
    expect(run.claim('cutoff score of 520').verdict).toBe('contradicted');
    const gini = run.claim('Gini is 0.47');
    expect(gini.verdict).toBe('supported');
    expect(gini.evidence[0].path).toBe('reports/validation.log');
  });
});
