"""Writes the first N training and M test samples of an IDX dataset.

usage: subset_idx.py SRC_DIR DST_DIR N M

For tests that need several quick epochs: the files keep Fashion-MNIST's
names, so `--data fashion-mnist=DST_DIR` reads them.
"""
import gzip
import struct
import sys

src, dst, counts = sys.argv[1], sys.argv[2], {"train": int(sys.argv[3]),
                                               "t10k": int(sys.argv[4])}
for split, n in counts.items():
    for kind, header in (("images-idx3", 16), ("labels-idx1", 8)):
        name = "%s-%s-ubyte" % (split, kind)
        raw = gzip.open("%s/%s.gz" % (src, name)).read()
        per = 784 if kind.startswith("images") else 1
        out = raw[:4] + struct.pack(">I", n) + raw[8:header] + raw[header:header + n * per]
        open("%s/%s" % (dst, name), "wb").write(out)
