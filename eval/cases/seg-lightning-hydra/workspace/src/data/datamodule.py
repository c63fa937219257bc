"""LightningDataModule for JSRT chest radiographs with SCR masks.

Expected layout under data_dir:
    images/JPCLN001.png ...          (grayscale, pre-converted from the 12-bit raw files)
    masks/lungs/JPCLN001.png ...
    masks/heart/JPCLN001.png ...
    masks/clavicles/JPCLN001.png ...
"""
from pathlib import Path
from typing import List, Optional

import albumentations as A
import cv2
import numpy as np
import pytorch_lightning as pl
import torch
from albumentations.pytorch import ToTensorV2
from torch.utils.data import DataLoader, Dataset

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)

N_JSRT_IMAGES = 247


def build_augmentations(aug_cfg: List[dict]) -> List[A.BasicTransform]:
    transforms = []
    for item in aug_cfg or []:
        params = dict(item)
        name = params.pop("name")
        transforms.append(getattr(A, name)(**params))
    return transforms


class JSRTDataset(Dataset):
    def __init__(self, root: Path, ids: List[str], class_names: List[str], transform: A.Compose):
        self.root = Path(root)
        self.ids = ids
        self.class_names = class_names
        self.transform = transform

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, idx: int):
        case_id = self.ids[idx]
        image = cv2.imread(str(self.root / "images" / f"{case_id}.png"), cv2.IMREAD_GRAYSCALE)
        # replicate grayscale to 3 channels so the ImageNet-pretrained stem can be used as-is
        image = np.repeat(image[..., None], 3, axis=-1)
        masks = [
            (cv2.imread(str(self.root / "masks" / c / f"{case_id}.png"), cv2.IMREAD_GRAYSCALE) > 127).astype(np.uint8)
            for c in self.class_names
        ]
        mask = np.stack(masks, axis=-1)
        out = self.transform(image=image, mask=mask)
        return out["image"], out["mask"].permute(2, 0, 1).float()


class JSRTDataModule(pl.LightningDataModule):
    def __init__(
        self,
        data_dir: str,
        class_names: List[str],
        image_size: int = 512,
        batch_size: int = 8,
        num_workers: int = 4,
        pin_memory: bool = True,
        split: Optional[dict] = None,
        fold: Optional[int] = None,
        augmentations: Optional[List[dict]] = None,
    ):
        super().__init__()
        self.save_hyperparameters(logger=False)
        self.data_dir = Path(data_dir)
        self.split = split or {"train": 0.7, "val": 0.1, "test": 0.2, "seed": 0}

    def _transforms(self, train: bool) -> A.Compose:
        size = self.hparams.image_size
        ops = [A.Resize(size, size, interpolation=cv2.INTER_AREA)]
        if train:
            ops += build_augmentations(self.hparams.augmentations)
        ops += [A.Normalize(mean=IMAGENET_MEAN, std=IMAGENET_STD), ToTensorV2()]
        return A.Compose(ops)

    def _split_ids(self):
        ids = sorted(p.stem for p in (self.data_dir / "images").glob("*.png"))
        assert len(ids) == N_JSRT_IMAGES, f"expected {N_JSRT_IMAGES} JSRT images, found {len(ids)}"
        rng = np.random.default_rng(self.split["seed"])
        ids = list(rng.permutation(ids))
        n_test = round(self.split["test"] * len(ids))
        n_val = round(self.split["val"] * len(ids))
        test_ids = ids[:n_test]
        val_ids = ids[n_test:n_test + n_val]
        train_ids = ids[n_test + n_val:]
        return train_ids, val_ids, test_ids

    def setup(self, stage: Optional[str] = None):
        train_ids, val_ids, test_ids = self._split_ids()
        names = self.hparams.class_names
        self.train_ds = JSRTDataset(self.data_dir, train_ids, names, self._transforms(train=True))
        self.val_ds = JSRTDataset(self.data_dir, val_ids, names, self._transforms(train=False))
        self.test_ds = JSRTDataset(self.data_dir, test_ids, names, self._transforms(train=False))

    def _loader(self, ds, shuffle: bool) -> DataLoader:
        return DataLoader(
            ds,
            batch_size=self.hparams.batch_size,
            shuffle=shuffle,
            num_workers=self.hparams.num_workers,
            pin_memory=self.hparams.pin_memory,
            persistent_workers=self.hparams.num_workers > 0,
        )

    def train_dataloader(self):
        return self._loader(self.train_ds, shuffle=True)

    def val_dataloader(self):
        return self._loader(self.val_ds, shuffle=False)

    def test_dataloader(self):
        return self._loader(self.test_ds, shuffle=False)
