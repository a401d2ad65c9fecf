#!/usr/bin/env python3
"""pip's own install time for the cold scenario's requirements, measured directly the way the
agent builds an environment: `python3 -m venv --without-pip DIR`, then
`python3 -m pip --python DIR/bin/python install -r requirements.txt`, in a fresh directory
(deleted afterwards), with the same PIP_INDEX_URL. Writes JSON (scenario "pip-install")."""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--requirements", default="six", help="requirements.txt text (lines)")
    p.add_argument("--python", default=sys.executable)
    p.add_argument("--out")
    a = p.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    import benchstats

    work = tempfile.mkdtemp(prefix="faaspot-bench-pip-")
    try:
        env_dir = os.path.join(work, "env")
        reqs = os.path.join(work, "requirements.txt")
        with open(reqs, "w", encoding="utf-8") as f:
            f.write(a.requirements.replace("\\n", "\n") + "\n")
        t0 = time.perf_counter()
        subprocess.run([a.python, "-m", "venv", "--without-pip", env_dir], check=True)
        t1 = time.perf_counter()
        subprocess.run([a.python, "-m", "pip", "--python", os.path.join(env_dir, "bin", "python"),
                        "install", "--no-input", "--disable-pip-version-check", "-q", "-r", reqs],
                       check=True)
        t2 = time.perf_counter()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = {
        "scenario": "pip-install",
        "requests": 1,
        "errors": 0,
        "requirements": a.requirements,
        "venv_ms": round((t1 - t0) * 1000.0, 1),
        "pip_install_ms": round((t2 - t1) * 1000.0, 1),
        "total_ms": round((t2 - t0) * 1000.0, 1),
        "pip_index_url": os.environ.get("PIP_INDEX_URL"),
    }
    benchstats.write_outputs(result, None, a.out, None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
