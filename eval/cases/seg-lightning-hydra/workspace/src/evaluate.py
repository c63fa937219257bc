"""Evaluate a checkpoint on the held-out test split and write results/test_metrics.json.

    python src/evaluate.py +ckpt=logs/version_0/checkpoints/<best>.ckpt
"""
import json
import sys
from pathlib import Path

import hydra
import torch
from omegaconf import DictConfig

sys.path.append(str(Path(__file__).resolve().parents[1]))

from src.models.metrics import dice_iou_per_class  # noqa: E402
from src.models.unet import SegmentationModule  # noqa: E402


@hydra.main(version_base="1.3", config_path="../configs", config_name="train")
def main(cfg: DictConfig) -> None:
    root = Path(hydra.utils.get_original_cwd())
    ckpt = cfg.get("ckpt")
    assert ckpt, "pass +ckpt=<path to .ckpt>"

    datamodule = hydra.utils.instantiate(cfg.data)
    datamodule.setup("test")
    model = SegmentationModule.load_from_checkpoint(root / ckpt, map_location="cuda")
    model.eval()

    dices, ious = [], []
    with torch.no_grad():
        for x, y in datamodule.test_dataloader():
            logits = model(x.cuda())
            d, i = dice_iou_per_class(logits, y.cuda(), model.threshold)
            dices.append(d.cpu())
            ious.append(i.cpu())
    dice = torch.cat(dices)  # (N, C) per image, per class
    iou = torch.cat(ious)

    names = list(cfg.data.class_names)
    result = {
        "checkpoint": str(ckpt),
        "split": "test",
        "n_images": int(dice.shape[0]),
        "image_size": int(cfg.data.image_size),
        "threshold": float(model.threshold),
        "dice": {n: round(float(dice[:, k].mean()), 3) for k, n in enumerate(names)},
        "iou": {n: round(float(iou[:, k].mean()), 3) for k, n in enumerate(names)},
    }
    result["dice"]["mean"] = round(float(dice.mean()), 3)
    result["iou"]["mean"] = round(float(iou.mean()), 3)

    out = root / cfg.paths.results_dir / "test_metrics.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
