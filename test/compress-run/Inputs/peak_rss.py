#!/usr/bin/python3
"""Runs a command with its stdout discarded and prints its peak RSS in KiB.

Usage: peak_rss.py COMMAND [ARGS...]

Exits with the command's status (1 if it died of a signal).
"""

import resource
import subprocess
import sys


def main():
    status = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
    if status != 0:
        print(f"peak_rss.py: {sys.argv[1]} exited with {status}", file=sys.stderr)
        return 1
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
