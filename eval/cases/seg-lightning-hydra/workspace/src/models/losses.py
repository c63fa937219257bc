"""Loss functions for multi-label segmentation."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def soft_dice_loss(logits: torch.Tensor, target: torch.Tensor, smooth: float = 1.0) -> torch.Tensor:
    """Soft Dice loss averaged over channels and batch.

    logits: (B, C, H, W) raw network output
    target: (B, C, H, W) binary masks
    """
    probs = torch.sigmoid(logits)
    dims = (2, 3)
    intersection = (probs * target).sum(dims)
    union = probs.sum(dims) + target.sum(dims)
    dice = (2.0 * intersection + smooth) / (union + smooth)
    return 1.0 - dice.mean()


class DiceBCELoss(nn.Module):
    """Weighted sum of soft Dice and binary cross-entropy."""

    def __init__(self, dice_weight: float = 1.0, bce_weight: float = 1.0, smooth: float = 1.0):
        super().__init__()
        self.dice_weight = dice_weight
        self.bce_weight = bce_weight
        self.smooth = smooth

    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        dice = soft_dice_loss(logits, target, self.smooth)
        bce = F.binary_cross_entropy_with_logits(logits, target)
        return self.dice_weight * dice + self.bce_weight * bce
