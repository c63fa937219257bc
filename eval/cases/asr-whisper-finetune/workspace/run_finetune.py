#!/usr/bin/env python
# coding=utf-8
"""
Fine-tune a Whisper checkpoint for Welsh speech recognition with Seq2SeqTrainer.

Adapted from the transformers example `run_speech_recognition_seq2seq.py` and
trimmed to read the DatasetDict written by prepare_data.py.
"""

import logging
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Union

import datasets
import evaluate
import torch
from datasets import load_from_disk

import transformers
from transformers import (
    AutoConfig,
    AutoFeatureExtractor,
    AutoModelForSpeechSeq2Seq,
    AutoProcessor,
    AutoTokenizer,
    HfArgumentParser,
    Seq2SeqTrainer,
    Seq2SeqTrainingArguments,
    set_seed,
)
from transformers.models.whisper.english_normalizer import BasicTextNormalizer
from transformers.trainer_utils import get_last_checkpoint

logger = logging.getLogger(__name__)


@dataclass
class ModelArguments:
    """Which checkpoint to fine-tune and how to configure it."""

    model_name_or_path: str = field(
        default="openai/whisper-small",
        metadata={"help": "Path to a pretrained model or a model identifier from huggingface.co/models."},
    )
    cache_dir: Optional[str] = field(default=None, metadata={"help": "Where to store downloaded checkpoints."})
    freeze_encoder: bool = field(default=False, metadata={"help": "Freeze the whole audio encoder."})
    dropout: float = field(default=0.0, metadata={"help": "Dropout probability of the fully connected layers."})
    apply_spec_augment: bool = field(
        default=False, metadata={"help": "Apply SpecAugment (time/feature masking) to the input features."}
    )
    mask_time_prob: float = field(default=0.05, metadata={"help": "SpecAugment probability of masking a time step."})


@dataclass
class DataTrainingArguments:
    """What data to train and evaluate on, and how to filter and normalise it."""

    dataset_dir: str = field(
        default="data/cv13_cy", metadata={"help": "DatasetDict directory written by prepare_data.py."}
    )
    train_split_name: str = field(default="train", metadata={"help": "Split used for training."})
    eval_split_name: str = field(default="test", metadata={"help": "Split used for evaluation."})
    audio_column_name: str = field(default="audio", metadata={"help": "Column holding the audio."})
    text_column_name: str = field(default="sentence", metadata={"help": "Column holding the transcript."})
    max_duration_in_seconds: float = field(
        default=20.0, metadata={"help": "Filter out audio clips longer than this many seconds."}
    )
    min_duration_in_seconds: float = field(
        default=0.0, metadata={"help": "Filter out audio clips shorter than this many seconds."}
    )
    max_label_length: int = field(
        default=448, metadata={"help": "Drop examples whose tokenised transcript is longer than this."}
    )
    do_lower_case: bool = field(default=False, metadata={"help": "Lower-case transcripts before tokenisation."})
    do_remove_punctuation: bool = field(
        default=False, metadata={"help": "Strip punctuation from transcripts before tokenisation."}
    )
    do_normalize_eval: bool = field(
        default=True,
        metadata={"help": "Apply Whisper's BasicTextNormalizer to predictions and references before scoring WER."},
    )
    language: Optional[str] = field(default=None, metadata={"help": "Language passed to the tokenizer, e.g. 'welsh'."})
    task: str = field(default="transcribe", metadata={"help": "'transcribe' or 'translate'."})
    max_train_samples: Optional[int] = field(default=None, metadata={"help": "Truncate the training set (debug)."})
    max_eval_samples: Optional[int] = field(default=None, metadata={"help": "Truncate the evaluation set (debug)."})
    preprocessing_num_workers: Optional[int] = field(default=None, metadata={"help": "Workers for dataset.map."})


@dataclass
class DataCollatorSpeechSeq2SeqWithPadding:
    """Pads log-Mel features and label ids separately; label padding is replaced by -100."""

    processor: Any
    decoder_start_token_id: int

    def __call__(self, features: List[Dict[str, Union[List[int], torch.Tensor]]]) -> Dict[str, torch.Tensor]:
        input_features = [{"input_features": f["input_features"]} for f in features]
        batch = self.processor.feature_extractor.pad(input_features, return_tensors="pt")

        label_features = [{"input_ids": f["labels"]} for f in features]
        labels_batch = self.processor.tokenizer.pad(label_features, return_tensors="pt")
        labels = labels_batch["input_ids"].masked_fill(labels_batch.attention_mask.ne(1), -100)

        # The tokenizer prepends the decoder start token; the model adds it again when shifting.
        if (labels[:, 0] == self.decoder_start_token_id).all().cpu().item():
            labels = labels[:, 1:]

        batch["labels"] = labels
        return batch


def main():
    parser = HfArgumentParser((ModelArguments, DataTrainingArguments, Seq2SeqTrainingArguments))
    if len(sys.argv) == 2 and sys.argv[1].endswith(".json"):
        model_args, data_args, training_args = parser.parse_json_file(json_file=os.path.abspath(sys.argv[1]))
    else:
        model_args, data_args, training_args = parser.parse_args_into_dataclasses()

    logging.basicConfig(
        format="%(asctime)s - %(levelname)s - %(name)s - %(message)s",
        datefmt="%m/%d/%Y %H:%M:%S",
        handlers=[logging.StreamHandler(sys.stdout)],
    )
    log_level = training_args.get_process_log_level()
    logger.setLevel(log_level)
    datasets.utils.logging.set_verbosity(log_level)
    transformers.utils.logging.set_verbosity(log_level)
    logger.info(f"Training/evaluation parameters {training_args}")

    last_checkpoint = None
    if os.path.isdir(training_args.output_dir) and training_args.do_train and not training_args.overwrite_output_dir:
        last_checkpoint = get_last_checkpoint(training_args.output_dir)

    set_seed(training_args.seed)

    # 1. Data
    raw_datasets = load_from_disk(data_args.dataset_dir)
    if data_args.max_train_samples is not None:
        raw_datasets[data_args.train_split_name] = raw_datasets[data_args.train_split_name].select(
            range(data_args.max_train_samples)
        )
    if data_args.max_eval_samples is not None:
        raw_datasets[data_args.eval_split_name] = raw_datasets[data_args.eval_split_name].select(
            range(data_args.max_eval_samples)
        )

    # 2. Model, feature extractor, tokenizer
    config = AutoConfig.from_pretrained(model_args.model_name_or_path, cache_dir=model_args.cache_dir)
    config.update(
        {
            "dropout": model_args.dropout,
            "apply_spec_augment": model_args.apply_spec_augment,
            "mask_time_prob": model_args.mask_time_prob,
        }
    )
    feature_extractor = AutoFeatureExtractor.from_pretrained(model_args.model_name_or_path)
    tokenizer = AutoTokenizer.from_pretrained(model_args.model_name_or_path)
    model = AutoModelForSpeechSeq2Seq.from_pretrained(
        model_args.model_name_or_path, config=config, cache_dir=model_args.cache_dir
    )
    if model.config.decoder_start_token_id is None:
        raise ValueError("Make sure that `config.decoder_start_token_id` is correctly defined")

    if model_args.freeze_encoder:
        model.freeze_encoder()
        model.model.encoder.gradient_checkpointing = False

    if training_args.gradient_checkpointing:
        model.config.use_cache = False

    if data_args.language is not None:
        tokenizer.set_prefix_tokens(language=data_args.language, task=data_args.task)
        model.generation_config.language = data_args.language
        model.generation_config.task = data_args.task
    model.generation_config.forced_decoder_ids = None
    model.config.forced_decoder_ids = None

    # 3. Feature extraction and tokenisation
    sampling_rate = feature_extractor.sampling_rate
    max_input_length = data_args.max_duration_in_seconds * sampling_rate
    min_input_length = data_args.min_duration_in_seconds * sampling_rate
    audio_column = data_args.audio_column_name
    text_column = data_args.text_column_name
    punctuation = str.maketrans("", "", "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~“”‘’«»…–—")

    def prepare_dataset(batch):
        sample = batch[audio_column]
        inputs = feature_extractor(sample["array"], sampling_rate=sample["sampling_rate"])
        batch["input_features"] = inputs.get("input_features")[0]
        batch["input_length"] = len(sample["array"])

        text = batch[text_column]
        if data_args.do_lower_case:
            text = text.lower()
        if data_args.do_remove_punctuation:
            text = text.translate(punctuation).strip()
        batch["labels"] = tokenizer(text).input_ids
        return batch

    vectorized_datasets = raw_datasets.map(
        prepare_dataset,
        remove_columns=next(iter(raw_datasets.values())).column_names,
        num_proc=data_args.preprocessing_num_workers,
        desc="preprocess dataset",
    )

    def is_audio_in_length_range(length):
        return min_input_length < length < max_input_length

    def is_label_in_length_range(labels):
        return len(labels) < data_args.max_label_length

    vectorized_datasets = vectorized_datasets.filter(
        is_audio_in_length_range, input_columns=["input_length"], num_proc=data_args.preprocessing_num_workers
    )
    vectorized_datasets = vectorized_datasets.filter(
        is_label_in_length_range, input_columns=["labels"], num_proc=data_args.preprocessing_num_workers
    )

    # 4. Metric
    metric = evaluate.load("wer")
    normalizer = BasicTextNormalizer()

    def compute_metrics(pred):
        pred_ids = pred.predictions
        label_ids = pred.label_ids
        label_ids[label_ids == -100] = tokenizer.pad_token_id

        pred_str = tokenizer.batch_decode(pred_ids, skip_special_tokens=True)
        label_str = tokenizer.batch_decode(label_ids, skip_special_tokens=True)
        if data_args.do_normalize_eval:
            pred_str = [normalizer(p) for p in pred_str]
            label_str = [normalizer(l) for l in label_str]
            pairs = [(p, l) for p, l in zip(pred_str, label_str) if len(l) > 0]
            pred_str, label_str = [p for p, _ in pairs], [l for _, l in pairs]

        wer = 100 * metric.compute(predictions=pred_str, references=label_str)
        return {"wer": wer}

    # 5. Save processor and config so the output dir is self-contained
    feature_extractor.save_pretrained(training_args.output_dir)
    tokenizer.save_pretrained(training_args.output_dir)
    config.save_pretrained(training_args.output_dir)
    processor = AutoProcessor.from_pretrained(training_args.output_dir)

    data_collator = DataCollatorSpeechSeq2SeqWithPadding(
        processor=processor, decoder_start_token_id=model.config.decoder_start_token_id
    )

    trainer = Seq2SeqTrainer(
        model=model,
        args=training_args,
        train_dataset=vectorized_datasets[data_args.train_split_name] if training_args.do_train else None,
        eval_dataset=vectorized_datasets[data_args.eval_split_name] if training_args.do_eval else None,
        tokenizer=feature_extractor,
        data_collator=data_collator,
        compute_metrics=compute_metrics if training_args.predict_with_generate else None,
    )

    # 6. Train
    if training_args.do_train:
        checkpoint = training_args.resume_from_checkpoint or last_checkpoint
        train_result = trainer.train(resume_from_checkpoint=checkpoint)
        trainer.save_model()

        metrics = train_result.metrics
        metrics["train_samples"] = len(vectorized_datasets[data_args.train_split_name])
        trainer.log_metrics("train", metrics)
        trainer.save_metrics("train", metrics)
        trainer.save_state()

    # 7. Evaluate (with load_best_model_at_end this scores the restored best checkpoint)
    if training_args.do_eval:
        metrics = trainer.evaluate(
            metric_key_prefix="eval",
            max_length=training_args.generation_max_length,
            num_beams=training_args.generation_num_beams,
        )
        metrics["eval_samples"] = len(vectorized_datasets[data_args.eval_split_name])
        trainer.log_metrics("eval", metrics)
        trainer.save_metrics("eval", metrics)

    # Keep a readable copy of the resolved arguments next to training_args.bin
    with open(os.path.join(training_args.output_dir, "training_args.json"), "w") as f:
        f.write(training_args.to_json_string())

    return


if __name__ == "__main__":
    main()
