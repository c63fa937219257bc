#!/usr/bin/env python
"""Collect lm-eval JSON outputs into one summary file (scores in percent)."""
import argparse
import glob
import json
import os

METRIC = {
    "mmlu": "acc,none",
    "gsm8k": "exact_match,strict-match",
    "arc_challenge": "acc_norm,none",
    "hellaswag": "acc_norm,none",
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", default="eval/raw")
    ap.add_argument("--out", default="eval/results.json")
    args = ap.parse_args()

    summary = {}
    for tag in ("base", "sft"):
        summary[tag] = {}
        for task, metric in METRIC.items():
            files = sorted(glob.glob(os.path.join(args.raw, tag, task, "**", "results_*.json"), recursive=True))
            res = json.load(open(files[-1]))["results"][task]
            summary[tag][task] = {
                "metric": metric.split(",")[0],
                "num_fewshot": json.load(open(files[-1]))["n-shot"][task],
                "value": round(100 * res[metric], 2),
            }
    json.dump(summary, open(args.out, "w"), indent=2)


if __name__ == "__main__":
    main()
