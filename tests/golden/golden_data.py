"""The data pipeline against torchvision: an ImageFolder of PNGs in every
mode PIL writes (with nested folders and a stray text file) and a Keras-style
.npz, each read by nncc's openDataset + DataLoader and by torchvision /
torch.utils.data with the same seed, must give the same labels and the same
float32 images bit for bit, batch by batch.

    golden_data.py --harness BIN --workdir DIR
"""
import argparse
import os
import subprocess
import sys

import numpy as np
import torch
import torchvision
from PIL import Image

MEAN = [0.4914, 0.4822, 0.4465]
STD = [0.2470, 0.2435, 0.2616]
BATCH, SEED = 8, 3


def make_imagefolder(root):
    rng = np.random.RandomState(0)
    modes = ["RGB", "L", "P", "RGBA", "LA", "1"]
    k = 0
    for cls in ["dog", "cat", "bird"]:  # created unsorted on purpose
        for sub in ["", "more/"]:
            os.makedirs(os.path.join(root, cls, sub), exist_ok=True)
            for i in range(4):
                rgb = rng.randint(0, 256, size=(6, 5, 3)).astype(np.uint8)
                img = Image.fromarray(rgb, "RGB")
                mode = modes[k % len(modes)]
                k += 1
                if mode == "P":
                    img = img.quantize(7)
                elif mode != "RGB":
                    img = img.convert(mode)
                img.save(os.path.join(root, cls, sub, f"{cls}_{i}.png"))
        with open(os.path.join(root, cls, "notes.txt"), "w") as f:
            f.write("not an image\n")


def run_harness(harness, kind, path, workers, out):
    subprocess.run([harness, kind, path, str(BATCH), str(SEED),
                    ",".join(map(str, MEAN)), ",".join(map(str, STD)),
                    str(workers), out], check=True)
    return open(out, "rb").read()


def reference_bytes(dataset):
    torch.manual_seed(SEED)
    loader = torch.utils.data.DataLoader(dataset, batch_size=BATCH,
                                         shuffle=True)
    out = b""
    for x, y in loader:
        out += y.to(torch.int64).numpy().tobytes()
        out += x.to(torch.float32).contiguous().numpy().tobytes()
    return out


def compare(name, ours, theirs):
    if ours == theirs:
        print(f"golden-data: {name} agrees with torch bit for bit "
              f"({len(ours)} bytes)")
        return True
    a = np.frombuffer(ours, np.uint8)
    b = np.frombuffer(theirs, np.uint8)
    n = min(len(a), len(b))
    first = int(np.argmax(a[:n] != b[:n])) if (a[:n] != b[:n]).any() else n
    print(f"golden-data: {name} DIFFERS: {len(ours)} vs {len(theirs)} "
          f"bytes, first difference at byte {first}")
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--harness", required=True)
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()
    ok = True
    normalize = torchvision.transforms.Compose([
        torchvision.transforms.ToTensor(),
        torchvision.transforms.Normalize(MEAN, STD)])

    root = os.path.join(args.workdir, "folder")
    make_imagefolder(root)
    theirs = reference_bytes(
        torchvision.datasets.ImageFolder(root, transform=normalize))
    for workers in (0, 2):
        ours = run_harness(args.harness, "imagefolder", root, workers,
                           os.path.join(args.workdir, "folder.bin"))
        ok &= compare(f"imagefolder ({workers} workers)", ours, theirs)

    rng = np.random.RandomState(1)
    x = rng.randint(0, 256, size=(21, 4, 3, 3)).astype(np.uint8)  # NHWC
    y = rng.randint(0, 10, size=21).astype(np.int64)
    npz = os.path.join(args.workdir, "data.npz")
    np.savez_compressed(npz, x_train=x, y_train=y, x_test=x[:2],
                        y_test=y[:2])
    images = torch.stack([normalize(img) for img in x])  # ToTensor: HWC->CHW
    theirs = reference_bytes(
        torch.utils.data.TensorDataset(images, torch.from_numpy(y)))
    ours = run_harness(args.harness, "npz", npz, 0,
                       os.path.join(args.workdir, "npz.bin"))
    ok &= compare("npz", ours, theirs)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
