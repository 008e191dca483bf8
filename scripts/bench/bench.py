#!/usr/bin/env python3
"""Whole-build benchmarks: generated directories of several sizes, built by
the release `kith`, reporting pages per second and peak memory.

usage: scripts/bench/bench.py [--sizes 1000,10000,100000] [--runs 3] [--work DIR] [--kith PATH] [--micro]

For each size N (assets; N/5 stories) it generates a site with corpus.py
(kept in --work between runs), then times:
  cold       `kith build --force` into an empty output folder (median of --runs)
  no change  `kith build` again with nothing changed
  one edit   `kith build` after one profile's text changed
  preview    `kith serve` after one profile's text changed, three times: the
             median of the time it reports for the page plus the time it
             reports for the search and data files that follow
and prints one row per size. --micro also runs the micro benchmarks
(`kith-bench`: template rendering, front matter, Markdown).
Figures are whole-process wall time and peak resident memory (getrusage of
the child). Machines differ and shared ones are noisy: compare ratios taken
in one run, not figures from different days.
"""
import argparse, os, re, resource, shutil, statistics, subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(os.path.dirname(HERE))


def run(command):
    """Runs a command; returns (seconds, peak MiB, stdout)."""
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - start
    out, err = process.stdout.read().decode(), process.stderr.read().decode()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"failed ({process.returncode}): {' '.join(command)}\n{err[-3000:]}")
    return seconds, usage.ru_maxrss / 1024.0, out


def preview_edits(kith, site, profile, edits=3):
    """Edits a profile's text while `kith serve` runs; returns the median
    milliseconds the server reports for the page and the data files together."""
    server = subprocess.Popen([kith, "serve", "--root", site, "--port", "0"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    lines = []
    threading.Thread(target=lambda: [lines.append(line) for line in server.stdout], daemon=True).start()

    def wait_for(start, pattern, timeout=600):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in lines[start:]:
                found = re.search(pattern, line)
                if found:
                    return found
            if server.poll() is not None:
                break
            time.sleep(0.01)
        server.kill()
        sys.exit("kith serve did not report:\n" + "".join(lines[-20:]))

    with open(profile) as f:
        original = f.read()
    totals = []
    try:
        wait_for(0, r"Serving the preview")
        wait_for(0, r"pages in \d+ ms")
        for edit in range(edits):
            start = len(lines)
            with open(profile, "w") as f:
                f.write(original + f"\nOne more paragraph, number {edit}, added for the benchmark.\n")
            page = wait_for(start, r": 1 page in (\d+) ms")
            data = wait_for(start, r"data files: \d+ files in (\d+) ms")
            totals.append(int(page.group(1)) + int(data.group(1)))
            time.sleep(0.5)
    finally:
        with open(profile, "w") as f:
            f.write(original)
        time.sleep(1)
        server.terminate()
        server.wait()
    return statistics.median(totals)


def release_binary(product):
    subprocess.run(["swift", "build", "-c", "release", "--product", product], cwd=PROJECT, check=True,
                   stdout=subprocess.DEVNULL)
    folder = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=PROJECT, check=True,
                            capture_output=True, text=True).stdout.strip()
    return os.path.join(folder, product)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "kith-bench"))
    parser.add_argument("--kith", default=None, help="the kith binary (default: build the release one)")
    parser.add_argument("--micro", action="store_true", help="also run the micro benchmarks")
    args = parser.parse_args()
    kith = os.path.abspath(args.kith) if args.kith else release_binary("kith")
    os.makedirs(args.work, exist_ok=True)

    rows = []
    for size in [int(s) for s in args.sizes.split(",") if s]:
        site = os.path.join(args.work, f"site-{size}")
        if not os.path.isdir(os.path.join(site, "content", "assets")):
            subprocess.run([sys.executable, os.path.join(HERE, "corpus.py"), site, "--assets", str(size)], check=True)
        out = os.path.join(args.work, f"public-{size}")
        cold = []
        for _ in range(max(1, args.runs)):
            shutil.rmtree(out, ignore_errors=True)
            cold.append(run([kith, "build", "--root", site, "--out", out, "--force"]))
        pages = int(cold[-1][2].split()[0])
        unchanged = run([kith, "build", "--root", site, "--out", out])
        profile = os.path.join(site, "content", "assets", "asset-00001.md")
        with open(profile) as f:
            original = f.read()
        try:
            with open(profile, "a") as f:
                f.write("\nOne more paragraph, added for the benchmark.\n")
            edited = run([kith, "build", "--root", site, "--out", out])
        finally:
            with open(profile, "w") as f:
                f.write(original)
        preview = preview_edits(kith, site, profile)
        wall = statistics.median(c[0] for c in cold)
        peak = max(c[1] for c in cold)
        rows.append((size, pages, wall, pages / wall, peak, unchanged[0], edited[0], preview))

    print(f"{'assets':>8} {'pages':>8} {'cold s':>8} {'pages/s':>9} {'peak MiB':>9} {'no change s':>12} {'one edit s':>11}"
          f" {'preview ms':>11}")
    for size, pages, wall, rate, peak, unchanged, edited, preview in rows:
        print(f"{size:>8} {pages:>8} {wall:>8.2f} {rate:>9.0f} {peak:>9.0f} {unchanged:>12.3f} {edited:>11.2f}"
              f" {preview:>11.0f}")

    if args.micro:
        bench = release_binary("kith-bench")
        subprocess.run([bench, "--root", PROJECT], check=True)


if __name__ == "__main__":
    main()
