#!/usr/bin/env python
"""Build the SFT mixture: sample each source to its share, filter, dedup, split.

Every source is converted to a list of {"role", "content"} messages so that
train_sft.py can render it with the ChatML template.
"""
import argparse
import hashlib
import json
import re
from pathlib import Path

from datasets import Dataset, DatasetDict, load_dataset
from transformers import AutoTokenizer

# share of the final mixture per source (must sum to 1.0)
MIXTURE = {
    "HuggingFaceH4/ultrachat_200k": 0.55,
    "meta-math/MetaMathQA": 0.30,
    "Open-Orca/SlimOrca": 0.15,
}
SPLITS = {
    "HuggingFaceH4/ultrachat_200k": "train_sft",
    "meta-math/MetaMathQA": "train",
    "Open-Orca/SlimOrca": "train",
}
TOTAL_EXAMPLES = 300_000


def to_messages(source, ex):
    if source.startswith("HuggingFaceH4/ultrachat"):
        return ex["messages"]
    if source.startswith("meta-math/"):
        return [
            {"role": "user", "content": ex["query"]},
            {"role": "assistant", "content": ex["response"]},
        ]
    # SlimOrca: ShareGPT-style {"from", "value"} turns
    roles = {"system": "system", "human": "user", "gpt": "assistant"}
    return [{"role": roles[t["from"]], "content": t["value"]} for t in ex["conversations"]]


def norm_key(messages):
    text = " ".join(m["content"] for m in messages)
    text = re.sub(r"\s+", " ", text).strip().lower()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokenizer", default="mistralai/Mistral-7B-v0.1")
    ap.add_argument("--max_tokens", type=int, default=4096,
                    help="drop conversations longer than this many tokens")
    ap.add_argument("--test_size", type=float, default=0.02)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--out_dir", default="data/mix")
    args = ap.parse_args()

    assert abs(sum(MIXTURE.values()) - 1.0) < 1e-9
    tok = AutoTokenizer.from_pretrained(args.tokenizer)

    rows, seen = [], set()
    stats = {}
    for source, share in MIXTURE.items():
        want = int(round(share * TOTAL_EXAMPLES))
        ds = load_dataset(source, split=SPLITS[source]).shuffle(seed=args.seed)
        kept = too_long = dupes = 0
        for ex in ds:
            if kept >= want:
                break
            msgs = to_messages(source, ex)
            n_tok = sum(len(tok(m["content"]).input_ids) for m in msgs)
            if n_tok > args.max_tokens:
                too_long += 1
                continue
            key = norm_key(msgs)
            if key in seen:  # exact duplicate after whitespace/case normalisation
                dupes += 1
                continue
            seen.add(key)
            rows.append({"messages": msgs, "source": source})
            kept += 1
        stats[source] = {"target": want, "kept": kept,
                         "dropped_too_long": too_long, "dropped_duplicate": dupes}

    full = Dataset.from_list(rows).shuffle(seed=args.seed)
    split = full.train_test_split(test_size=args.test_size, seed=args.seed)
    DatasetDict(train=split["train"], test=split["test"]).save_to_disk(args.out_dir)

    stats["_total"] = {"train": len(split["train"]), "test": len(split["test"])}
    Path("data/mix_stats.json").write_text(json.dumps(stats, indent=2) + "\n")
    print(json.dumps(stats, indent=2))


if __name__ == "__main__":
    main()
