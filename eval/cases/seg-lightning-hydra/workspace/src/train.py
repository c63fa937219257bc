"""Train the chest X-ray anatomy U-Net.

    python src/train.py                         # default run (configs/train.yaml)
    python src/train.py trainer=debug           # smoke test
    python src/train.py data=jsrt_hires         # 1024 px variant
"""
import sys
from pathlib import Path

import hydra
import pytorch_lightning as pl
from omegaconf import DictConfig, OmegaConf
from pytorch_lightning.callbacks import EarlyStopping, ModelCheckpoint
from pytorch_lightning.loggers import CSVLogger

sys.path.append(str(Path(__file__).resolve().parents[1]))

from src.models.unet import SegmentationModule  # noqa: E402


@hydra.main(version_base="1.3", config_path="../configs", config_name="train")
def main(cfg: DictConfig) -> None:
    print(OmegaConf.to_yaml(cfg, resolve=True))
    pl.seed_everything(cfg.seed, workers=True)

    datamodule = hydra.utils.instantiate(cfg.data)

    model = SegmentationModule(
        model=OmegaConf.to_container(cfg.model, resolve=True),
        optimizer=OmegaConf.to_container(cfg.optimizer, resolve=True),
        scheduler=OmegaConf.to_container(cfg.scheduler, resolve=True),
        max_epochs=cfg.trainer.max_epochs,
        class_names=list(cfg.data.class_names),
    )

    callbacks = [
        EarlyStopping(
            monitor=cfg.callbacks.early_stopping.monitor,
            mode=cfg.callbacks.early_stopping.mode,
            patience=cfg.callbacks.early_stopping.patience,
        ),
        ModelCheckpoint(**cfg.callbacks.model_checkpoint),
    ]
    # hydra changes cwd to the run dir; write logs relative to the original project root
    root = Path(hydra.utils.get_original_cwd())
    logger = CSVLogger(save_dir=str(root / cfg.logger.save_dir), name=cfg.logger.name)

    trainer = hydra.utils.instantiate(cfg.trainer, callbacks=callbacks, logger=logger)
    trainer.fit(model, datamodule=datamodule)
    print(f"best checkpoint: {trainer.checkpoint_callback.best_model_path}")


if __name__ == "__main__":
    main()
