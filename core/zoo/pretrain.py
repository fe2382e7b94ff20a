"""Train the shipped CNNs reproducibly and save them to assets/ as safetensors plus a JSON card.

    python -m core.zoo.pretrain tinyvgg     # TinyVGG on the generated objects (64x64)
    python -m core.zoo.pretrain lenet       # the LeNet-like CNN on scikit-learn's digits

Everything is seeded (data, initialization, shuffling); the card records the spec, the class names,
the data and training settings and the held-out accuracy that the README quotes.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict
from pathlib import Path

import torch
from safetensors.torch import save_file

from core.data import DataSpec, load_dataset
from core.models import build_model
from core.presets import lenet, tiny_vgg
from core.training import TrainConfig, Trainer

ASSETS = Path(__file__).resolve().parent.parent.parent / "assets" / "models"

RECIPES = {
    "tinyvgg": {
        "data": DataSpec("objects", n_samples=10000, image_size=64, train_fraction=0.8, seed=0),
        "spec": lambda: tiny_vgg(3, 64, 6),
        "train": TrainConfig(optimizer="adam", learning_rate=0.002, batch_size=32, seed=0, threads=2),
        "epochs": 24,
    },
    "lenet": {
        "data": DataSpec("digits", train_fraction=0.8, seed=0),
        "spec": lambda: lenet(1, 8, 10),
        "train": TrainConfig(optimizer="adam", learning_rate=0.003, batch_size=32, seed=0, threads=2),
        "epochs": 40,
    },
}


def train(name: str, epochs: int | None = None, out_dir: Path = ASSETS) -> dict:
    recipe = RECIPES[name]
    torch.set_num_threads(recipe["train"].threads)
    ds = load_dataset(recipe["data"])
    spec = recipe["spec"]()
    model = build_model(spec, seed=recipe["train"].seed, n_outputs=ds.n_outputs)
    trainer = Trainer(model, ds, recipe["train"])
    trainer.reset(recipe["train"].seed)
    start = time.perf_counter()
    for epoch in range(epochs or recipe["epochs"]):
        trainer.train_epochs(1)
        m = trainer.metrics()
        print(f"{name} epoch {epoch + 1}: train loss {m.train_loss:.4f} acc {m.train_acc:.3f}, "
              f"test acc {m.test_acc:.3f} ({time.perf_counter() - start:.0f} s)", flush=True)
    final = trainer.metrics()
    out_dir.mkdir(parents=True, exist_ok=True)
    model = model.cpu().eval()
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(out_dir / f"{name}.safetensors"))
    card = {
        "name": name, "title": spec.name, "spec": spec.to_dict(), "class_names": list(ds.class_names),
        "data": {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(recipe["data"]).items()},
        "train": recipe["train"].to_dict(), "epochs": trainer.epoch,
        "test_accuracy": round(final.test_acc, 4), "train_accuracy": round(final.train_acc, 4),
        "test_samples": len(ds.x_test), "train_seconds": round(time.perf_counter() - start, 1),
    }
    (out_dir / f"{name}.json").write_text(json.dumps(card, indent=2))
    print(f"{name}: held-out accuracy {final.test_acc:.3f} on {len(ds.x_test)} images -> {out_dir / name}.*")
    return card


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", choices=sorted(RECIPES))
    parser.add_argument("--epochs", type=int, default=None)
    args = parser.parse_args()
    train(args.model, args.epochs)


if __name__ == "__main__":
    main()
