"""What the conformance flows share: a line per step for the test to count,
and a run that prints the traceback and exits non-zero on the first failure."""

import sys
import traceback


def step(name):
    print(f"step {name}", flush=True)


def run(main):
    try:
        main()
    except Exception:
        traceback.print_exc()
        sys.exit(1)
    print("done", flush=True)
