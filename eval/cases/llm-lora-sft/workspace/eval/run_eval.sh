#!/usr/bin/env bash
# Benchmarks for base model and merged adapter, lm-evaluation-harness 0.4.3.
# Results are collected into eval/results.json by eval/collect.py.
set -euo pipefail

BASE=mistralai/Mistral-7B-v0.1
ADAPTER=output

for TAG in base sft; do
  if [ "$TAG" = base ]; then
    MODEL_ARGS="pretrained=$BASE,dtype=bfloat16"
  else
    MODEL_ARGS="pretrained=$BASE,peft=$ADAPTER,dtype=bfloat16"
  fi

  lm_eval --model hf --model_args "$MODEL_ARGS" \
    --tasks mmlu --num_fewshot 5 --batch_size 8 \
    --output_path eval/raw/$TAG/mmlu

  lm_eval --model hf --model_args "$MODEL_ARGS" \
    --tasks gsm8k --num_fewshot 5 --batch_size 8 \
    --output_path eval/raw/$TAG/gsm8k

  lm_eval --model hf --model_args "$MODEL_ARGS" \
    --tasks arc_challenge --num_fewshot 25 --batch_size 8 \
    --output_path eval/raw/$TAG/arc_challenge

  lm_eval --model hf --model_args "$MODEL_ARGS" \
    --tasks hellaswag --num_fewshot 10 --batch_size 8 \
    --output_path eval/raw/$TAG/hellaswag
done

python eval/collect.py --raw eval/raw --out eval/results.json
