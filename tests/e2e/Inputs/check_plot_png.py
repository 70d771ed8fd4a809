"""Checks that a screenshot of the trainer's SVG plot shows a plot.

usage: check_plot_png.py PNG

Decodes the PNG with zlib alone (8-bit RGB or RGBA, not interlaced, as
Chromium writes it) and counts pixels: the page must be mostly white, and
hold the train curve's blue, the test curve's red and dark axis/text
pixels. A broken SVG renders as an error page or a blank one, which fails.
"""
import struct
import sys
import zlib

data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, header = 8, b"", None
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        header = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
width, height, depth, color, _, _, interlace = header
assert depth == 8 and color in (2, 6) and interlace == 0, header
channels = 3 if color == 2 else 4
raw = zlib.decompress(idat)
stride = width * channels
rows, prev = [], bytearray(stride)
for y in range(height):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - channels] if i >= channels else 0
        b = prev[i]
        c = prev[i - channels] if i >= channels else 0
        if f == 1:
            line[i] = (line[i] + a) & 255
        elif f == 2:
            line[i] = (line[i] + b) & 255
        elif f == 3:
            line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line)
    prev = line


def near(px, rgb, tol=40):
    return all(abs(px[k] - rgb[k]) <= tol for k in range(3))


counts = {"white": 0, "blue": 0, "red": 0, "dark": 0}
for line in rows:
    for x in range(width):
        px = line[x * channels:x * channels + 3]
        if px[0] > 245 and px[1] > 245 and px[2] > 245:
            counts["white"] += 1
        elif near(px, (31, 119, 180)):
            counts["blue"] += 1
        elif near(px, (214, 39, 40)):
            counts["red"] += 1
        elif max(px) < 90:
            counts["dark"] += 1
total = width * height
print("%dx%d" % (width, height), " ".join("%s %d" % kv for kv in counts.items()))
ok = (counts["white"] > total // 2 and counts["blue"] > 300 and
      counts["red"] > 300 and counts["dark"] > 1000)
print("plot rendered" if ok else "plot NOT rendered")
sys.exit(0 if ok else 1)
