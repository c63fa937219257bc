#!/usr/bin/env python
"""Build the local Welsh dataset used by run_finetune.py.

Steps:
  1. download the Welsh (cy) config of Common Voice 13.0 from the Hub;
  2. merge the train and validation splits into one training split, keep test for evaluation;
  3. resample every clip to 16 kHz;
  4. drop clips longer than MAX_DURATION_S seconds;
  5. lower-case transcripts and strip punctuation (text_utils.normalize_transcript);
  6. save the resulting DatasetDict with save_to_disk.
"""

import argparse

from datasets import Audio, DatasetDict, concatenate_datasets, load_dataset

from text_utils import normalize_transcript

DATASET_ID = "mozilla-foundation/common_voice_13_0"
LANGUAGE = "cy"
SAMPLING_RATE = 16_000
MAX_DURATION_S = 30.0
KEEP_COLUMNS = ["audio", "sentence"]


def add_duration(batch):
    audio = batch["audio"]
    batch["duration"] = len(audio["array"]) / audio["sampling_rate"]
    return batch


def clean_sentence(batch):
    batch["sentence"] = normalize_transcript(batch["sentence"])
    return batch


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output_dir", default="data/cv13_cy")
    parser.add_argument("--num_proc", type=int, default=4)
    args = parser.parse_args()

    train = load_dataset(DATASET_ID, LANGUAGE, split="train", token=True)
    validation = load_dataset(DATASET_ID, LANGUAGE, split="validation", token=True)
    test = load_dataset(DATASET_ID, LANGUAGE, split="test", token=True)

    ds = DatasetDict({"train": concatenate_datasets([train, validation]), "test": test})
    drop = [c for c in ds["train"].column_names if c not in KEEP_COLUMNS]
    ds = ds.remove_columns(drop)

    ds = ds.cast_column("audio", Audio(sampling_rate=SAMPLING_RATE))
    ds = ds.map(add_duration, num_proc=args.num_proc)
    ds = ds.filter(lambda d: d <= MAX_DURATION_S, input_columns=["duration"], num_proc=args.num_proc)

    ds = ds.map(clean_sentence, num_proc=args.num_proc)
    ds = ds.filter(lambda s: len(s) > 0, input_columns=["sentence"], num_proc=args.num_proc)

    for split, part in ds.items():
        hours = sum(part["duration"]) / 3600
        print(f"{split}: {len(part)} clips, {hours:.1f} h")

    ds.save_to_disk(args.output_dir)


if __name__ == "__main__":
    main()
