"""Fine-tune a timm backbone on PlantVillage (38 classes).

Usage:
    python train.py --config configs/vit_base.yaml

Values in the YAML config take precedence over the argparse defaults below
(they are applied after parse_args, see `load_config`).
"""
import argparse
import json
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn as nn
import yaml
import timm
from timm.data import Mixup
from timm.loss import SoftTargetCrossEntropy, LabelSmoothingCrossEntropy
from timm.scheduler import CosineLRScheduler
from timm.utils import ModelEmaV2, accuracy

from data import build_datasets, build_loaders


def get_args():
    p = argparse.ArgumentParser(description="PlantVillage fine-tuning")
    p.add_argument("--config", type=str, default=None, help="YAML file overriding the defaults")
    p.add_argument("--data-dir", type=str, default="data/plantvillage/color")
    p.add_argument("--output", type=str, default="runs/vit")
    # model
    p.add_argument("--model", type=str, default="vit_small_patch16_224.augreg_in21k_ft_in1k")
    p.add_argument("--num-classes", type=int, default=38)
    p.add_argument("--img-size", type=int, default=224)
    p.add_argument("--drop-path", type=float, default=0.1)
    # optimisation
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=5e-4)
    p.add_argument("--weight-decay", type=float, default=0.05)
    p.add_argument("--warmup-epochs", type=int, default=5)
    p.add_argument("--warmup-lr", type=float, default=1e-6)
    p.add_argument("--min-lr", type=float, default=1e-6)
    p.add_argument("--clip-grad", type=float, default=None)
    # regularisation
    p.add_argument("--smoothing", type=float, default=0.1)
    p.add_argument("--mixup", type=float, default=0.8)
    p.add_argument("--cutmix", type=float, default=1.0)
    p.add_argument("--mixup-prob", type=float, default=1.0)
    p.add_argument("--ema-decay", type=float, default=0.9998)
    # misc
    p.add_argument("--no-amp", dest="amp", action="store_false")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--split-seed", type=int, default=2023)
    p.add_argument("--workers", type=int, default=8)
    return p.parse_args()


def load_config(args):
    """Apply the YAML config on top of the parsed args (YAML wins)."""
    if args.config is None:
        return args
    with open(args.config) as f:
        cfg = yaml.safe_load(f) or {}
    for key, value in cfg.items():
        setattr(args, key.replace("-", "_"), value)
    print(f"loaded config {args.config}")
    return args


def set_seed(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)


def train_one_epoch(model, loader, criterion, optimizer, scaler, mixup_fn, ema, args, device):
    model.train()
    running = 0.0
    for images, targets in loader:
        images, targets = images.to(device, non_blocking=True), targets.to(device, non_blocking=True)
        if mixup_fn is not None:
            images, targets = mixup_fn(images, targets)
        with torch.autocast(device_type="cuda", dtype=torch.float16, enabled=args.amp):
            loss = criterion(model(images), targets)
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        if args.clip_grad is not None:
            scaler.unscale_(optimizer)
            nn.utils.clip_grad_norm_(model.parameters(), args.clip_grad)
        scaler.step(optimizer)
        scaler.update()
        ema.update(model)
        running += loss.item()
    return running / len(loader)


@torch.no_grad()
def evaluate(model, loader, device):
    model.eval()
    correct, total = 0, 0
    for images, targets in loader:
        images, targets = images.to(device), targets.to(device)
        with torch.autocast(device_type="cuda", dtype=torch.float16):
            logits = model(images)
        correct += (logits.argmax(1) == targets).sum().item()
        total += targets.numel()
    return correct / total


def main():
    args = load_config(get_args())
    set_seed(args.seed)
    os.makedirs(args.output, exist_ok=True)
    device = torch.device("cuda")

    train_set, val_set, test_set = build_datasets(args.data_dir, args.img_size, split_seed=args.split_seed)
    print(f"dataset: {len(train_set) + len(val_set) + len(test_set)} images, {args.num_classes} classes "
          f"| train {len(train_set)} / val {len(val_set)} / test {len(test_set)}")
    train_loader, val_loader, _ = build_loaders(train_set, val_set, test_set, args.batch_size, args.workers)

    model = timm.create_model(
        args.model,
        pretrained=True,
        num_classes=args.num_classes,
        drop_path_rate=args.drop_path,
    ).to(device)
    n_params = sum(p.numel() for p in model.parameters()) / 1e6
    print(f"model {args.model} | params {n_params:.2f}M")

    ema = ModelEmaV2(model, decay=args.ema_decay)

    mixup_fn = None
    if args.mixup > 0 or args.cutmix > 0:
        mixup_fn = Mixup(mixup_alpha=args.mixup, cutmix_alpha=args.cutmix, prob=args.mixup_prob,
                         label_smoothing=args.smoothing, num_classes=args.num_classes)
        criterion = SoftTargetCrossEntropy()
    else:
        criterion = LabelSmoothingCrossEntropy(smoothing=args.smoothing)

    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    scheduler = CosineLRScheduler(
        optimizer,
        t_initial=args.epochs,
        lr_min=args.min_lr,
        warmup_t=args.warmup_epochs,
        warmup_lr_init=args.warmup_lr,
    )
    scaler = torch.cuda.amp.GradScaler(enabled=args.amp)

    best_acc = 0.0
    for epoch in range(1, args.epochs + 1):
        scheduler.step(epoch - 1)
        lr = optimizer.param_groups[0]["lr"]
        train_loss = train_one_epoch(model, train_loader, criterion, optimizer, scaler, mixup_fn, ema, args, device)
        val_acc = evaluate(ema.module, val_loader, device)
        print(f"epoch {epoch} | train_loss {train_loss:.4f} | val_acc {val_acc:.4f} | lr {lr:.2e}")
        state = {"model": ema.module.state_dict(), "epoch": epoch, "val_acc": val_acc, "args": vars(args)}
        torch.save(state, os.path.join(args.output, "last.pth"))
        if val_acc > best_acc:
            best_acc = val_acc
            torch.save(state, os.path.join(args.output, "model_best.pth"))
            print(f"new best val_acc {best_acc:.4f} at epoch {epoch}")
    print(f"done | best val_acc {best_acc:.4f}")


if __name__ == "__main__":
    main()
