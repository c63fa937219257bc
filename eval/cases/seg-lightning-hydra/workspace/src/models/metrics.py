"""Per-image, per-class Dice and IoU on thresholded predictions."""
import torch


@torch.no_grad()
def dice_iou_per_class(logits: torch.Tensor, target: torch.Tensor, threshold: float = 0.5, eps: float = 1e-7):
    """Return (dice, iou), each of shape (B, C)."""
    pred = (torch.sigmoid(logits) > threshold).float()
    dims = (2, 3)
    inter = (pred * target).sum(dims)
    p_sum = pred.sum(dims)
    t_sum = target.sum(dims)
    dice = (2 * inter + eps) / (p_sum + t_sum + eps)
    iou = (inter + eps) / (p_sum + t_sum - inter + eps)
    return dice, iou
