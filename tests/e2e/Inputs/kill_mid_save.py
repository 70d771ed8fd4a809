"""Kills a training run in the middle of a save, deterministically.

usage: kill_mid_save.py MATCH COMMAND...

Runs COMMAND with NNCC_TEST_PAUSE_MID_WRITE=MATCH: the runtime's atomic
write to a path containing MATCH stops halfway and prints
"nncc test hook: process PID paused writing 'TMP'" on stderr. This script
SIGKILLs that PID there, waits for COMMAND, and prints what it killed and
how much of the temporary file had been written. Exits 1 if the run never
reached the save.
"""
import os
import re
import signal
import subprocess
import sys

match, command = sys.argv[1], sys.argv[2:]
env = dict(os.environ, NNCC_TEST_PAUSE_MID_WRITE=match)
proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                        stderr=subprocess.PIPE, text=True)
killed = None
for line in proc.stderr:
    m = re.match(r"nncc test hook: process (\d+) paused writing '(.*)'", line)
    if m:
        pid, tmp = int(m.group(1)), m.group(2)
        os.kill(pid, signal.SIGKILL)
        killed = (pid, tmp)
        break
    sys.stderr.write(line)
proc.wait()
if not killed:
    print("the run finished without reaching a save matching", match)
    sys.exit(1)
print("killed the run while it wrote", os.path.basename(killed[1]),
      "after", os.path.getsize(killed[1]), "bytes")
