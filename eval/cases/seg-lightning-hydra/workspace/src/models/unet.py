"""U-Net (ResNet encoder) wrapped in a LightningModule."""
from typing import Any, Dict

import pytorch_lightning as pl
import segmentation_models_pytorch as smp
import torch
import torch.nn as nn

from src.models.losses import DiceBCELoss
from src.models.metrics import dice_iou_per_class


def build_unet(cfg: Dict[str, Any]) -> nn.Module:
    """Build the smp U-Net described by configs/model/unet.yaml."""
    net = smp.Unet(
        encoder_name=cfg["encoder_name"],
        encoder_weights=cfg["encoder_weights"],
        encoder_depth=cfg["encoder_depth"],
        decoder_channels=list(cfg["decoder_channels"]),
        decoder_attention_type=cfg.get("decoder_attention_type"),
        in_channels=cfg["in_channels"],
        classes=cfg["classes"],
        activation=None,  # logits; sigmoid is applied in the loss / metrics
    )
    if cfg.get("dropout", 0.0) > 0:
        # insert dropout between decoder and segmentation head
        net.segmentation_head = nn.Sequential(
            nn.Dropout2d(p=cfg["dropout"]),
            net.segmentation_head,
        )
    return net


class SegmentationModule(pl.LightningModule):
    def __init__(
        self,
        model: Dict[str, Any],
        optimizer: Dict[str, Any],
        scheduler: Dict[str, Any],
        max_epochs: int,
        class_names: list,
    ):
        super().__init__()
        self.save_hyperparameters()
        self.net = build_unet(model)
        self.criterion = DiceBCELoss(
            dice_weight=model["loss"]["dice_weight"],
            bce_weight=model["loss"]["bce_weight"],
            smooth=model["loss"]["smooth"],
        )
        self.threshold = model["threshold"]
        self.class_names = class_names

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = self.criterion(logits, y)
        self.log("train_loss", loss, on_step=False, on_epoch=True, prog_bar=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = self.criterion(logits, y)
        dice, iou = dice_iou_per_class(logits, y, self.threshold)
        self.log("val_loss", loss, on_epoch=True, prog_bar=True)
        self.log("val_dice", dice.mean(), on_epoch=True, prog_bar=True)
        self.log("val_iou", iou.mean(), on_epoch=True)

    def configure_optimizers(self):
        opt_cfg = self.hparams.optimizer
        sch_cfg = self.hparams.scheduler
        optimizer = torch.optim.AdamW(
            self.parameters(),
            lr=opt_cfg["lr"],
            weight_decay=opt_cfg["weight_decay"],
            betas=tuple(opt_cfg["betas"]),
            eps=opt_cfg["eps"],
        )
        warmup = torch.optim.lr_scheduler.LinearLR(
            optimizer,
            start_factor=sch_cfg["warmup_start_factor"],
            total_iters=sch_cfg["warmup_epochs"],
        )
        cosine = torch.optim.lr_scheduler.CosineAnnealingLR(
            optimizer,
            T_max=self.hparams.max_epochs - sch_cfg["warmup_epochs"],
            eta_min=sch_cfg["min_lr"],
        )
        scheduler = torch.optim.lr_scheduler.SequentialLR(
            optimizer, schedulers=[warmup, cosine], milestones=[sch_cfg["warmup_epochs"]]
        )
        return {
            "optimizer": optimizer,
            "lr_scheduler": {"scheduler": scheduler, "interval": sch_cfg["interval"]},
        }
