"""PlantVillage data pipeline: deterministic split + torchvision transforms."""
import torch
from torch.utils.data import DataLoader, Subset
from torchvision import datasets, transforms

# augreg ViT checkpoints were trained with inception-style normalisation
MEAN = (0.5, 0.5, 0.5)
STD = (0.5, 0.5, 0.5)

TRAIN_FRAC = 0.8
VAL_FRAC = 0.1
# the test fraction is whatever remains (0.1)


def build_transforms(img_size=224):
    train_tf = transforms.Compose([
        transforms.RandomResizedCrop(img_size, scale=(0.25, 1.0), interpolation=transforms.InterpolationMode.BICUBIC),
        transforms.RandomHorizontalFlip(),
        transforms.RandomVerticalFlip(),
        transforms.RandAugment(num_ops=2, magnitude=7),
        transforms.ToTensor(),
        transforms.Normalize(MEAN, STD),
    ])
    eval_tf = transforms.Compose([
        transforms.Resize(256, interpolation=transforms.InterpolationMode.BICUBIC),
        transforms.CenterCrop(img_size),
        transforms.ToTensor(),
        transforms.Normalize(MEAN, STD),
    ])
    return train_tf, eval_tf


def split_indices(n, split_seed=2023):
    g = torch.Generator().manual_seed(split_seed)
    perm = torch.randperm(n, generator=g).tolist()
    n_train = int(n * TRAIN_FRAC)
    n_val = int(n * VAL_FRAC)
    return perm[:n_train], perm[n_train:n_train + n_val], perm[n_train + n_val:]


def build_datasets(root, img_size=224, split_seed=2023):
    train_tf, eval_tf = build_transforms(img_size)
    base_train = datasets.ImageFolder(root, transform=train_tf)
    base_eval = datasets.ImageFolder(root, transform=eval_tf)
    train_idx, val_idx, test_idx = split_indices(len(base_train), split_seed)
    return Subset(base_train, train_idx), Subset(base_eval, val_idx), Subset(base_eval, test_idx)


def build_loaders(train_set, val_set, test_set, batch_size, workers=8):
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True, num_workers=workers,
                              pin_memory=True, drop_last=True)
    val_loader = DataLoader(val_set, batch_size=batch_size * 2, shuffle=False, num_workers=workers)
    test_loader = DataLoader(test_set, batch_size=batch_size * 2, shuffle=False, num_workers=workers)
    return train_loader, val_loader, test_loader
