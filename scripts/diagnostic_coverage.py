#!/usr/bin/env python3
"""Checks that the lit tests reach every diagnostic the frontend can produce.

A *reporting site* is a line of frontend/*.cpp that calls
`diags.error(`, `diags.warning(`, `diags.note(` (also through another object,
`sema.diags.error(`), or the helpers that report for their caller
(the parser's `errorExpected(`, `errorExpectedHere(` and `expect(`, Sema's
`operandError(` and `argumentError(`), except the calls that forward their
caller's site (`siteLine` among their arguments) and the helpers' own
definitions. The engine names each report
by the line of that call (a __builtin_LINE() default argument), so the scan
and the recording agree as long as a call's name and its '(' share a line,
which clang-format keeps.

A site that no input can reach is marked, on its line or in the comment just
above it, with `// unreachable-diagnostic: why`; the script lists those
separately (and reports them as errors if a test does reach them).

The script runs, with NNCC_DIAG_SITES set, every `%nncc ...` command of the
RUN lines of the tests under tests/Frontend (lit's %s, %S, %p, %t, %src
substituted; output redirections dropped; the rest of a pipeline is not run),
collects the sites reached, and fails listing the sites that none reaches.
It also fails when a recorded site is not found by the scan, so that the scan
cannot silently miss a way of reporting.

  diagnostic_coverage.py --nncc build/bin/nncc [--src .] [--list]
"""
import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile

CALL = re.compile(r"(?:\bdiags\.(?:error|warning|note)|\berrorExpected\w*|"
                  r"\boperandError|\bargumentError|(?<![\w.>])expect)\(")
DEFINITION = re.compile(r"(?:\bbool|\bvoid)\s+(?:\w+::)?(?:errorExpected\w*|"
                        r"operandError|argumentError|expect)\(")
UNREACHABLE = "unreachable-diagnostic:"


def call_text(lines, i, start):
    """The arguments of the call whose '(' ends at lines[i][:start]."""
    depth, text = 1, ""
    for line in lines[i:]:
        for c in line[start:]:
            depth += {"(": 1, ")": -1}.get(c, 0)
            if depth == 0:
                return text
            text += c
        start = 0
    return text


def scan_sites(src):
    """Returns {"File.cpp:line": unreachable-reason-or-None}."""
    sites = {}
    frontend = os.path.join(src, "frontend")
    for name in sorted(os.listdir(frontend)):
        if not name.endswith(".cpp"):
            continue
        with open(os.path.join(frontend, name), encoding="utf-8") as f:
            lines = f.read().split("\n")
        for i, line in enumerate(lines):
            code = line.split("//")[0]
            match = CALL.search(code)
            if not match or DEFINITION.search(code):
                continue
            if "siteLine" in call_text(lines, i, match.end()):
                continue
            reason = None
            # The marker comment on the call's line or in the comment lines
            # just above it.
            j = i
            while j > 0 and lines[j - 1].strip().startswith("//"):
                j -= 1
            comment = " ".join(l.strip().lstrip("/").strip()
                               for l in lines[j:i])
            trailing = line.split("//", 1)[1] if "//" in line else ""
            for candidate in (trailing, comment):
                if UNREACHABLE in candidate:
                    reason = candidate.split(UNREACHABLE, 1)[1].strip()
            sites["%s:%d" % (name, i + 1)] = reason
    return sites


def run_lines(path):
    """The RUN commands of a lit test, continuation lines joined."""
    commands, current = [], ""
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = re.search(r"RUN:(.*)$", line)
            if not m:
                continue
            part = m.group(1).strip()
            if part.endswith("\\"):
                current += part[:-1] + " "
                continue
            commands.append(current + part)
            current = ""
    return commands


def nncc_commands(command):
    """The `%nncc ...` segments of a RUN pipeline, as argument lists."""
    for segment in re.split(r"\|\||&&|\||;", command):
        words = shlex.split(segment)
        while words and words[0] in ("not", "--crash"):
            words = words[1:]
        if not words or words[0] != "%nncc":
            continue
        args, skip = [], False
        for word in words[1:]:
            if skip:
                skip = False
                continue
            if re.fullmatch(r"\d?>>?&?\d?|<", word):
                skip = not re.fullmatch(r"\d?>&\d", word)
                continue
            if re.match(r"\d?>", word) or word.startswith("<"):
                continue
            args.append(word)
        yield args


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nncc", help="the nncc driver to run")
    parser.add_argument("--src", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), ".."))
    parser.add_argument("--list", action="store_true",
                        help="print the sites found by the scan and exit")
    opts = parser.parse_args()
    src = os.path.abspath(opts.src)
    if opts.nncc and os.sep in opts.nncc:
        opts.nncc = os.path.abspath(opts.nncc)
    sites = scan_sites(src)
    if opts.list:
        for site, reason in sites.items():
            print(site + ("  (unreachable: %s)" % reason if reason else ""))
        return 0
    if not opts.nncc:
        parser.error("--nncc is required unless --list is given")

    tests_root = os.path.join(src, "tests", "Frontend")
    with tempfile.TemporaryDirectory() as tmp:
        record = os.path.join(tmp, "sites")
        env = dict(os.environ, NNCC_DIAG_SITES=record)
        runs = 0
        for root, dirs, files in os.walk(tests_root):
            dirs[:] = sorted(d for d in dirs if d != "Inputs")
            for name in sorted(files):
                if not name.endswith((".nn", ".test")):
                    continue
                path = os.path.join(root, name)
                subst = {"%s": path, "%S": root, "%p": root, "%src": src,
                         "%t": os.path.join(tmp, "t")}
                for command in run_lines(path):
                    for args in nncc_commands(command):
                        for i, arg in enumerate(args):
                            for key in ("%src", "%s", "%S", "%p", "%t"):
                                arg = arg.replace(key, subst[key])
                            args[i] = arg
                        subprocess.run([opts.nncc] + args, env=env,
                                       stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, cwd=root)
                        runs += 1
        reached = set()
        if os.path.exists(record):
            with open(record) as f:
                reached = {line.strip() for line in f if line.strip()}

    frontend_files = {s.split(":")[0] for s in sites}
    # Reports from outside frontend/ (the compiler's own) are not counted.
    reached = {s for s in reached if s.split(":")[0] in frontend_files}
    if not reached:
        print("error: nncc recorded no diagnostic sites; was it built from "
              "this frontend, which writes them to $NNCC_DIAG_SITES?")
        return 1
    unknown = sorted(reached - set(sites))
    missed = [s for s, reason in sites.items()
              if reason is None and s not in reached]
    unreachable = [s for s, reason in sites.items() if reason is not None]
    print("%d nncc runs; %d reporting sites, %d reached, %d marked "
          "unreachable" % (runs, len(sites), len(reached & set(sites)),
                           len(unreachable)))
    for site in unknown:
        print("error: %s reported but is not a site the scan finds" % site)
    for site in missed:
        print("error: no test reaches the diagnostic at frontend/%s" % site)
    wrongly = [s for s in unreachable if s in reached]
    for site in wrongly:
        print("error: frontend/%s is marked unreachable but a test reaches it"
              % site)
    for site in unreachable:
        print("note: frontend/%s is unreachable: %s" % (site, sites[site]))
    return 1 if missed or unknown or wrongly else 0


if __name__ == "__main__":
    sys.exit(main())
