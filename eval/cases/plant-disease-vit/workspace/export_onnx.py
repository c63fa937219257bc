"""Export the best EMA checkpoint to ONNX."""
import argparse

import timm
import torch


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--checkpoint", default="runs/vit_base_224/model_best.pth")
    p.add_argument("--out", default="export/plant_vit_b16.onnx")
    p.add_argument("--opset", type=int, default=14)
    p.add_argument("--img-size", type=int, default=224)
    args = p.parse_args()

    ckpt = torch.load(args.checkpoint, map_location="cpu")
    cfg = ckpt["args"]
    model = timm.create_model(cfg["model"], pretrained=False, num_classes=cfg["num_classes"])
    model.load_state_dict(ckpt["model"])
    model.eval()

    dummy = torch.randn(1, 3, args.img_size, args.img_size)
    torch.onnx.export(
        model,
        dummy,
        args.out,
        opset_version=args.opset,
        input_names=["pixel_values"],
        output_names=["logits"],
        dynamic_axes={"pixel_values": {0: "batch"}, "logits": {0: "batch"}},
        do_constant_folding=True,
    )
    print(f"wrote {args.out} (opset {args.opset}, input 1x3x{args.img_size}x{args.img_size})")


if __name__ == "__main__":
    main()
