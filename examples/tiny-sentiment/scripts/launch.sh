#!/usr/bin/env bash
# Launches the fine-tuning run that produced results/metrics.json.
set -euo pipefail
python train.py \
  --config configs/train.yaml \
  --lr 3e-5 \
  --epochs 4
