"""Evaluate a checkpoint on the held-out test split and write results/test_results.json."""
import argparse
import json
import os

import timm
import torch
from sklearn.metrics import f1_score

from data import build_datasets, build_loaders


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--checkpoint", default="runs/vit_base_224/model_best.pth")
    p.add_argument("--out", default="results/test_results.json")
    p.add_argument("--report-classes", nargs="*", default=[
        "Apple___Apple_scab",
        "Corn_(maize)___Northern_Leaf_Blight",
        "Potato___healthy",
        "Tomato___Early_blight",
        "Tomato___Late_blight",
        "Tomato___Target_Spot",
    ])
    args = p.parse_args()

    ckpt = torch.load(args.checkpoint, map_location="cpu")
    cfg = ckpt["args"]
    model = timm.create_model(cfg["model"], pretrained=False, num_classes=cfg["num_classes"])
    model.load_state_dict(ckpt["model"])
    model.cuda().eval()

    train_set, val_set, test_set = build_datasets(cfg["data_dir"], cfg["img_size"], split_seed=cfg["split_seed"])
    _, _, test_loader = build_loaders(train_set, val_set, test_set, cfg["batch_size"], cfg["workers"])
    classes = test_set.dataset.classes

    preds, top5_hits, labels = [], 0, []
    with torch.no_grad():
        for images, targets in test_loader:
            logits = model(images.cuda()).float().cpu()
            preds += logits.argmax(1).tolist()
            top5_hits += (logits.topk(5, dim=1).indices == targets[:, None]).any(1).sum().item()
            labels += targets.tolist()

    n = len(labels)
    top1 = sum(p == t for p, t in zip(preds, labels)) / n
    per_class = {}
    for name in args.report_classes:
        c = classes.index(name)
        idx = [i for i, t in enumerate(labels) if t == c]
        per_class[name] = round(sum(preds[i] == c for i in idx) / len(idx), 4)

    results = {
        "checkpoint": args.checkpoint,
        "split": "test",
        "num_samples": n,
        "top1_accuracy": round(top1, 4),
        "top5_accuracy": round(top5_hits / n, 4),
        "macro_f1": round(f1_score(labels, preds, average="macro"), 4),
        "per_class_accuracy": per_class,
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
