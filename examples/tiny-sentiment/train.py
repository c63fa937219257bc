"""Fine-tunes a small BERT on movie-review sentiment (example workspace for CardCheck)."""
import argparse

import yaml
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments

MODEL_NAME = "prajjwal1/bert-small"
DATASET_NAME = "imdb"
MAX_LENGTH = 256


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--config", default="configs/train.yaml")
    p.add_argument("--lr", type=float, default=5e-5)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--seed", type=int, default=13)
    return p.parse_args()


def main():
    args = parse_args()
    with open(args.config) as f:
        cfg = yaml.safe_load(f)
    tokenizer = AutoTokenizer.from_pretrained(MODEL_NAME)
    data = load_dataset(DATASET_NAME)
    data = data.map(lambda b: tokenizer(b["text"], truncation=True, max_length=MAX_LENGTH), batched=True)
    model = AutoModelForSequenceClassification.from_pretrained(MODEL_NAME, num_labels=2)
    training_args = TrainingArguments(
        output_dir="out",
        learning_rate=args.lr,
        num_train_epochs=args.epochs,
        per_device_train_batch_size=cfg["train"]["batch_size"],
        weight_decay=cfg["train"]["weight_decay"],
        warmup_ratio=0.1,
        optim="adamw_torch",
        seed=args.seed,
    )
    Trainer(model=model, args=training_args, train_dataset=data["train"], eval_dataset=data["test"]).train()


if __name__ == "__main__":
    main()
