#!/usr/bin/env bash
#SBATCH --job-name=kestrel-sft
#SBATCH --nodes=1
#SBATCH --gres=gpu:h100:8
#SBATCH --cpus-per-task=96
#SBATCH --mem=900G
#SBATCH --time=16:00:00
#SBATCH --output=logs/%x-%j.out
#
# Full SFT run for the released adapter (run 0417).
# Flags below override the argparse defaults in train_sft.py.
set -euo pipefail

cd "$(dirname "$0")/.."

export WANDB_PROJECT=kestrel-sft
export TOKENIZERS_PARALLELISM=false

python data/prepare_mix.py --out_dir data/mix

accelerate launch --config_file configs/accelerate_ddp.yaml \
  train_sft.py \
  --model_name_or_path mistralai/Mistral-7B-v0.1 \
  --dataset_dir data/mix \
  --output_dir output \
  --lora_r 64 \
  --lora_alpha 128 \
  --lora_target_modules q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj \
  --learning_rate 1e-4 \
  --num_train_epochs 2 \
  --report_to wandb \
  2>&1 | tee logs/train_rank0.log
