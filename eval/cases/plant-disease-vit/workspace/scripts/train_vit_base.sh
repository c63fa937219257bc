#!/usr/bin/env bash
# Reproduces the released ViT-B/16 run.
set -euo pipefail
python train.py --config configs/vit_base.yaml
python evaluate.py --checkpoint runs/vit_base_224/model_best.pth --out results/test_results.json
python export_onnx.py --checkpoint runs/vit_base_224/model_best.pth
