#!/usr/bin/env bash
# Fine-tune openai/whisper-small on Common Voice 13.0 Welsh.
# Single-GPU run; every flag below overrides the dataclass / Seq2SeqTrainingArguments default.
set -euo pipefail

export CUDA_VISIBLE_DEVICES=0
export WANDB_DISABLED=true
export TOKENIZERS_PARALLELISM=false

DATA_DIR=data/cv13_cy

if [ ! -d "${DATA_DIR}" ]; then
  python prepare_data.py --output_dir "${DATA_DIR}" --num_proc 8
fi

python run_finetune.py \
  --model_name_or_path openai/whisper-small \
  --dataset_dir "${DATA_DIR}" \
  --language welsh \
  --task transcribe \
  --max_duration_in_seconds 30 \
  --min_duration_in_seconds 1.0 \
  --do_normalize_eval False \
  --apply_spec_augment True \
  --mask_time_prob 0.05 \
  --preprocessing_num_workers 8 \
  --output_dir ./output \
  --overwrite_output_dir \
  --do_train \
  --do_eval \
  --learning_rate 1e-5 \
  --warmup_steps 500 \
  --max_steps 4000 \
  --per_device_train_batch_size 16 \
  --per_device_eval_batch_size 8 \
  --gradient_accumulation_steps 2 \
  --gradient_checkpointing \
  --fp16 \
  --evaluation_strategy steps \
  --eval_steps 1000 \
  --save_steps 1000 \
  --save_total_limit 2 \
  --logging_steps 25 \
  --predict_with_generate \
  --generation_max_length 225 \
  --load_best_model_at_end \
  --metric_for_best_model wer \
  --greater_is_better False \
  --dataloader_num_workers 4 \
  --report_to tensorboard
