#!/usr/bin/python3
"""Execute the project's Jupyter notebooks headless on the Deno kernel.

Usage (from anywhere; run `npm run build` first so dist/ is current):
    /usr/bin/python3 scripts/run-notebooks.py [--out DIR] [--timeout SECONDS] [NOTEBOOK ...]

- Registers the Deno kernel (`deno jupyter --install`, the `deno` npm package's
  binary in node_modules) into a throw-away data folder, so nothing is written
  to the user's Jupyter folders.
- Runs each notebook (default: notebooks/*.ipynb) with Debian's nbclient, the
  kernel's working directory being the notebook's folder, with OUT_DIR set to
  DIR/<notebook name>/ so the pipeline's files land there.
- Writes each executed notebook to DIR/<notebook name>.ipynb (also when a cell
  fails, so the traceback can be read) and exits 1 on any cell error or timeout.

Uses /usr/bin/python3 on purpose: Debian's python3-nbclient lives there, not in
a pyenv/venv python that may come first on PATH.
"""
import argparse
import glob
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

import nbformat
from nbclient import NotebookClient
from nbclient.util import ensure_async
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL = "deno"


def install_kernel(data_home):
    """Register the Deno kernelspec under data_home/jupyter; returns that jupyter folder."""
    deno = os.path.join(REPO, "node_modules", ".bin", "deno")
    if not os.path.exists(deno):
        sys.exit(f"run-notebooks: {deno} not found; run `npm ci` first (the deno npm package ships the kernel)")
    env = dict(os.environ, XDG_DATA_HOME=data_home, DENO_NO_UPDATE_CHECK="1")
    subprocess.run([deno, "jupyter", "--install", "--name", KERNEL, "--force"], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    jupyter_dir = os.path.join(data_home, "jupyter")
    if not os.path.exists(os.path.join(jupyter_dir, "kernels", KERNEL, "kernel.json")):
        sys.exit(f"run-notebooks: `deno jupyter --install` did not write a kernelspec under {jupyter_dir}")
    return jupyter_dir


class FencedNotebookClient(NotebookClient):
    """NotebookClient that also keeps outputs the kernel publishes after a cell's "idle".

    The Deno kernel publishes a cell's stdout and display messages from other tasks than
    its "busy"/"idle" status, so they can arrive after "idle", where plain nbclient has
    stopped listening and silently drops them. After each cell this client runs a "fence"
    cell that prints a marker to stdout and displays one: each path delivers in order, so
    once both markers are back every earlier output of the cell is too. Outputs seen in
    between (whichever request the kernel filed them under) belong to the cell.
    """

    fence_timeout = 120

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)
        marker = f"nbfence-{uuid.uuid4().hex}"
        code = f'console.log("{marker}");\nawait Deno.jupyter.display({{ "text/plain": "{marker}" }}, {{ raw: true }});'
        fence = await ensure_async(self.kc.execute(code, silent=False, store_history=False))
        seen_stream = seen_display = False
        deadline = time.monotonic() + self.fence_timeout
        while not (seen_stream and seen_display):
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=max(0.1, deadline - time.monotonic())))
            except queue.Empty:
                raise RuntimeError(f"the kernel did not echo the output fence after cell {cell_index}")
            parent = msg["parent_header"].get("msg_id")
            if parent not in (parent_msg_id, fence):
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream" and marker in content.get("text", ""):
                seen_stream = True
                rest = "".join(line for line in content["text"].splitlines(True) if marker not in line)
                if not rest:
                    continue
                msg = {**msg, "content": {**content, "text": rest}}
            elif kind == "display_data" and content.get("data", {}).get("text/plain") == marker:
                seen_display = True
                continue
            elif parent == fence and kind == "error":
                raise RuntimeError(f"the output fence after cell {cell_index} failed: {content.get('evalue')}")
            elif kind in ("status", "execute_input") or (parent == fence and kind == "execute_result"):
                continue  # status was handled up to the cell's "idle"; the fence's own results are not the cell's
            self.process_message(msg, cell, cell_index)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("notebooks", nargs="*", help="notebooks to run (default: notebooks/*.ipynb)")
    ap.add_argument("--out", help="folder for executed notebooks and run outputs (default: a new temp folder)")
    ap.add_argument("--timeout", type=int, default=900, help="per-cell timeout in seconds (default 900)")
    args = ap.parse_args()

    notebooks = [os.path.abspath(p) for p in args.notebooks] or sorted(
        p for p in glob.glob(os.path.join(REPO, "notebooks", "*.ipynb")) if not p.endswith(".nbconvert.ipynb"))
    if not notebooks:
        sys.exit("run-notebooks: no notebooks found")
    if not os.path.exists(os.path.join(REPO, "dist", "src", "index.js")):
        sys.exit("run-notebooks: dist/src/index.js not found; run `npm run build` first")
    out = os.path.abspath(args.out) if args.out else tempfile.mkdtemp(prefix="notebooks-")
    os.makedirs(out, exist_ok=True)

    data_home = tempfile.mkdtemp(prefix="deno-kernel-")
    failed = []
    try:
        jupyter_dir = install_kernel(data_home)
        # JUPYTER_PATH comes before the user's and the system's kernel folders.
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [jupyter_dir, os.environ.get("JUPYTER_PATH")]))
        os.environ["DENO_NO_UPDATE_CHECK"] = "1"
        os.environ["DENO_NO_PROMPT"] = "1"
        os.environ["NO_COLOR"] = "1"
        for path in notebooks:
            name = os.path.splitext(os.path.basename(path))[0]
            os.environ["OUT_DIR"] = os.path.join(out, name)
            nb = nbformat.read(path, as_version=4)
            client = FencedNotebookClient(nb, timeout=args.timeout, kernel_name=KERNEL, allow_errors=False,
                                          iopub_timeout=60, raise_on_iopub_timeout=True,
                                          resources={"metadata": {"path": os.path.dirname(path)}})
            started = time.monotonic()
            error = None
            try:
                client.execute()
            except (CellExecutionError, CellTimeoutError, DeadKernelError, RuntimeError) as e:
                error = e
            seconds = time.monotonic() - started
            executed = os.path.join(out, name + ".ipynb")
            nbformat.write(nb, executed)
            if error is None:
                print(f"ok    {os.path.relpath(path, REPO)}  {seconds:.1f}s  -> {executed}", flush=True)
            else:
                failed.append(path)
                print(f"FAIL  {os.path.relpath(path, REPO)}  {seconds:.1f}s  -> {executed}\n{error}", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(data_home, ignore_errors=True)
    print(f"{len(notebooks) - len(failed)} notebooks ran, {len(failed)} failed; outputs in {out}", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
