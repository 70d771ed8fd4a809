#!/usr/bin/env python3
"""Keeps the examples in docs/compiler.md true by running them.

A fenced block whose first line is a shell prompt in a comment,

    ```mlir
    // $ nncc-opt nn-autodiff.mlir --nn-autodiff
    module {
      ...
    ```

is an "after" block: the command runs (in the examples folder, with the
build's nncc-opt / nncc) and its output must match the rest of the block.
`// $`, `; $` and `# $` all start one, so the block can use the comment
syntax of what it shows (MLIR, LLVM IR, assembly, model text).

Matching, after normalising whitespace (runs of blanks and line breaks are one
separator, so the doc may wrap long lines anywhere between tokens):

  - a line that starts with `// ...` (or `; ...`, `# ...`) matches any number
    of whole lines of the output, including none; text after the dots is a
    note for the reader;
  - in ```mlir blocks, other lines that start with `//` are notes for the
    reader and are not compared (the MLIR printer never prints comments);
  - everything else must appear in the output token for token, in order, and
    a block without a trailing `// ...` must reach the end of the output.

Every input file a command names must have been shown earlier in the doc as a
block of its own (or as the whole output of an earlier example), identical
after whitespace normalisation (the file's leading
comment lines, which say where it comes from, are not part of it). So the
"before" the reader sees is the input the tool really ran on.

Coverage: every pass declared in compiler/Passes.td must be run by some
example, every `--emit=` phase of the pipeline must be run (except `obj`, which
is binary) and every file in the examples folder must be used.
"""

import argparse
import os
import re
import shlex
import subprocess
import sys

PROMPT = re.compile(r"^\s*(//|;|#) \$ (.*)$")
ELLIPSIS = re.compile(r"^\s*(//|;|#) \.\.\.")


class Block:
    def __init__(self, lang, lines, line):
        self.lang = lang
        self.lines = lines  # text lines, without the fences
        self.line = line  # line number of the opening fence in the doc


def read_blocks(path):
    blocks, current = [], None
    with open(path, encoding="utf-8") as f:
        for number, text in enumerate(f, start=1):
            text = text.rstrip("\n")
            if text.startswith("```"):
                if current is None:
                    current = Block(text[3:].strip().split(" ")[0], [], number)
                else:
                    blocks.append(current)
                    current = None
            elif current is not None:
                current.lines.append((number, text))
    if current is not None:
        sys.exit(f"{path}:{current.line}: unterminated code block")
    return blocks


def tokens(lines):
    """[(token, line number, starts its line, ends its line)]"""
    out = []
    for number, text in lines:
        words = text.split()
        for i, word in enumerate(words):
            out.append((word, number, i == 0, i == len(words) - 1))
    return out


def normalised(text_lines):
    return [word for _, line in text_lines for word in line.split()]


def strip_header(path, text):
    """The file minus its leading comment lines (where it comes from)."""
    marker = "#" if path.endswith(".nn") else "//"
    lines = text.splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith(marker)):
        lines.pop(0)
    return [(0, line) for line in lines]


def expected_segments(block):
    """The block's lines after the prompt, split at `// ...` lines."""
    segments = [[]]
    for number, text in block.lines[1:]:
        if ELLIPSIS.match(text):
            segments.append([])
            continue
        if block.lang == "mlir" and text.lstrip().startswith("//"):
            continue
        segments[-1].append((number, text))
    return [tokens(seg) for seg in segments]


def match_at(out, seg, start, need_start, need_end):
    if start + len(seg) > len(out):
        return False
    if need_start and not out[start][2]:
        return False
    if need_end and seg and not out[start + len(seg) - 1][3]:
        return False
    return all(out[start + i][0] == seg[i][0] for i in range(len(seg)))


def longest_prefix(out, seg, start):
    """The output position from `start` on that matches most of `seg`."""
    best, best_at = -1, start
    for s in range(start, max(start, len(out) - 1) + 1):
        n = 0
        while n < len(seg) and s + n < len(out) and out[s + n][0] == seg[n][0]:
            n += 1
        if n > best:
            best, best_at = n, s
    return best, best_at


def match(out, segments):
    """None when the output matches, else (doc line, message)."""
    pos = 0
    last = len(segments) - 1
    for i, seg in enumerate(segments):
        if not seg:
            continue
        skip_before = i > 0  # an ellipsis precedes this segment
        skip_after = i < last
        if not skip_before:
            found = 0 if match_at(out, seg, 0, False, skip_after) else None
        elif not skip_after:
            s = len(out) - len(seg)
            found = s if s >= pos and match_at(out, seg, s, True, False) else None
        else:
            found = next((s for s in range(pos, len(out) - len(seg) + 1)
                          if match_at(out, seg, s, True, True)), None)
        if found is None:
            n, at = longest_prefix(out, seg, pos if skip_before else 0)
            if n >= len(seg):
                return seg[0][1], (
                    "the block matches only part of a line of the output at "
                    f"output line {out[at][1]}: a `// ...` must stand for whole lines")
            doc_line = seg[n][1]
            got = " ".join(t[0] for t in out[at + n:at + n + 8]) if at + n < len(out) else "<end of output>"
            return doc_line, (f"expected `{seg[n][0]}` but the output has "
                              f"`{got}` (output line {out[at + n][1] if at + n < len(out) else 'end'})")
        pos = found + len(seg)
    if segments and segments[-1] and pos != len(out):
        return segments[-1][-1][1], (
            f"the output goes on after the block's last line (output line "
            f"{out[pos][1]}: `{out[pos][0]}`); end the block with `// ...`")
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--doc", required=True)
    parser.add_argument("--examples", required=True, help="folder of the example inputs")
    parser.add_argument("--nncc-opt", required=True)
    parser.add_argument("--nncc", required=True)
    parser.add_argument("--passes-td", help="compiler/Passes.td: every pass needs an example")
    parser.add_argument("--pipeline-cpp", help="compiler/pipeline/Pipeline.cpp: every phase needs an example")
    parser.add_argument("--only", help="run only the commands this regex finds (the rest is still checked)")
    args = parser.parse_args()

    tools = {"nncc-opt": os.path.abspath(args.nncc_opt), "nncc": os.path.abspath(args.nncc)}
    blocks = read_blocks(args.doc)
    shown = []  # normalised token lists of the blocks seen so far
    errors, commands, used = [], [], set()
    example_files = sorted(f for f in os.listdir(args.examples)
                           if not f.startswith(".") and f != "lit.local.cfg")

    for block in blocks:
        first = block.lines[0][1] if block.lines else ""
        prompt = PROMPT.match(first)
        if not prompt:
            shown.append(normalised(block.lines))
            continue
        where = f"{args.doc}:{block.lines[0][0]}"
        argv = shlex.split(prompt.group(2))
        if argv[0] not in tools:
            errors.append(f"{where}: unknown tool `{argv[0]}` (nncc-opt or nncc)")
            continue
        commands.append(argv)
        inputs = [a for a in argv[1:] if a in example_files]
        if not inputs:
            errors.append(f"{where}: the command names no file of {args.examples}")
            continue
        for name in inputs:
            used.add(name)
            with open(os.path.join(args.examples, name), encoding="utf-8") as f:
                content = normalised(strip_header(name, f.read()))
            if content not in shown:
                errors.append(f"{where}: {name} is not shown earlier in the doc "
                              "(show the input, as it is in the file, before its output)")
        if args.only and not re.search(args.only, prompt.group(2)):
            continue
        run = subprocess.run([tools[argv[0]]] + argv[1:], cwd=args.examples,
                             capture_output=True, text=True)
        if run.returncode != 0:
            errors.append(f"{where}: `{prompt.group(2)}` failed ({run.returncode}):\n{run.stderr}")
            continue
        out = tokens(enumerate(run.stdout.splitlines(), start=1))
        segments = expected_segments(block)
        if len(segments) == 1:  # a whole output may be a later example's input
            shown.append([t[0] for t in segments[0]])
        mismatch = match(out, segments)
        if mismatch:
            line, message = mismatch
            errors.append(f"{args.doc}:{line}: output of `{prompt.group(2)}` "
                          f"does not match: {message}")

    run_text = [" ".join(argv) for argv in commands]
    if args.passes_td:
        with open(args.passes_td, encoding="utf-8") as f:
            passes = re.findall(r'^def \w+ : Pass<"([\w-]+)"', f.read(), re.M)
        for name in passes + ["nncc-cpu-pipeline"]:
            # as a flag (--name, --name=options) or in a --pass-pipeline
            flag = rf"(--{re.escape(name)}(=|\s|$))|([(,]{re.escape(name)}[{{),])"
            if not any(re.search(flag, c) for c in run_text):
                errors.append(f"{args.doc}: no example runs the pass `{name}`")
    if args.pipeline_cpp:
        with open(args.pipeline_cpp, encoding="utf-8") as f:
            phases = re.findall(r'\{"([\w-]+)", Phase::', f.read())
        if not phases:
            errors.append(f"{args.pipeline_cpp}: no phase names found (has the table's form changed?)")
        for phase in phases:
            if phase != "obj" and not any(f"--emit={phase}" in c.split() for c in run_text):
                errors.append(f"{args.doc}: no example runs `nncc --emit={phase}`")
    for name in example_files:
        if name not in used:
            errors.append(f"{args.examples}/{name}: no example in the doc uses it")

    for error in errors:
        print(f"error: {error}")
    print(f"{len(commands)} examples checked, {len(errors)} errors")  # (run or not)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
