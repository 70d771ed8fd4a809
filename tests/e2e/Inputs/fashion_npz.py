"""Writes the first N training and M test Fashion-MNIST samples as one NPZ.

usage: fashion_npz.py SRC_DIR OUT.npz N M

Keras' mnist.npz layout (x_train, y_train, x_test, y_test; uint8 images
[N, 28, 28]), which `--data npz=OUT.npz` reads.
"""
import gzip
import sys

import numpy as np

src, out, n, m = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])


def read(name, header, count, shape):
    raw = gzip.open("%s/%s.gz" % (src, name)).read()
    return np.frombuffer(raw, np.uint8, offset=header, count=count * int(np.prod(shape))).reshape((count,) + shape)


np.savez(out,
         x_train=read("train-images-idx3-ubyte", 16, n, (28, 28)),
         y_train=read("train-labels-idx1-ubyte", 8, n, ()).astype(np.int64),
         x_test=read("t10k-images-idx3-ubyte", 16, m, (28, 28)),
         y_test=read("t10k-labels-idx1-ubyte", 8, m, ()).astype(np.int64))
