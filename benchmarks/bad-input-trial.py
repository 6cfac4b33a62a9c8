#!/usr/bin/env python3
"""The bad-input and fault trial of issue 12, as a rerunnable harness: python3 benchmarks/bad-input-trial.py

Runs every command but `bench` with bad inputs and faults, grouped by the 17 defect classes issue 12 found, plus a
generic sweep (every numeric option of every command with NaN, Infinity, huge and non-numbers; unknown options, stray
words, missing values and options; corrupt checkpoints for every command that takes one), and checks each result
against the README's promise:
  - bad input: exit status 2, before any work (no progress bar, within a time limit), with one reason line of at most
    300 characters on stderr (the usage line the toolkit prints after it is allowed), no stack trace, "Exception" or
    "internal error"; and nothing in the case's folder created, changed or removed;
  - a full disk: the same, and the reason says "no space left";
  - a signal: exit status 130 (SIGINT) or 143 (SIGTERM), the JVM's 128 + signal;
  - exit 0 only with a correct result: no NaN or Infinity printed or in a CSV or .npy written; a model or setting that
    may overflow ("finite" cases) either fails as bad input or exits 0 with finite results;
  - always: no hidden .ldmlab-tmp-* or .scratch-* left, no empty folder made, the input files unchanged (SHA-256),
    and no process the command started still running afterwards.

How it runs the toolkit: `./ldmlab info` once (the launcher builds toolkit/target/ldmlab.jar when the sources changed),
then the jar directly with the launcher's JVM flags and OMP_NUM_THREADS=1, so no case pays for a rebuild check. Each
case runs in its own folder under a private temporary folder, with -Dldmlab.home pointing there, so a default output
(figures/, runs/) never lands in the checkout; only the notebooks cases use the checkout's labs (with --out private).
Fixtures are small: the shipped checkpoints, tiny 2-step training checkpoints, broken copies of them (truncated,
flipped, a tensor dropped, reshaped or NaN), PNGs and CSVs written here. A full disk is a small tmpfs, a read-only
folder a read-only tmpfs (`mount`, as root; those cases are skipped with a note where mounting is not permitted). The
notebooks signal cases run the Java kernelspec Jupyter finds (set JUPYTER_DATA_DIR to choose one); where it does not
start they are skipped with a note. The reason lines are measured with the private folder's part of paths taken out.

Options: --only GROUP|TEXT (one group, 1..17 or G, or the cases whose name contains TEXT), --jobs N (cases run side by side, default 2;
signal, full-disk and timing cases always run alone), --list (print the cases and exit), --keep (keep the temporary
folder), --verbose (a line per case). Exit status 1 if any case failed. Python 3 standard library only.
"""
import argparse
import array
import ast
import concurrent.futures
import errno
import hashlib
import math
import os
import random
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JAR = ROOT / "toolkit" / "target" / "ldmlab.jar"
MODELS = ROOT / "toolkit" / "src" / "main" / "resources" / "ldmlab" / "models"

MAX_REASON = 300      # characters of the one reason line (about four terminal lines; some list the words or commands known)
QUICK = 20.0          # seconds: bad input fails within this, JVM start included
SLOW = 120.0          # seconds: a case that does real (small) work
GRACE_KILL = 15.0     # seconds past a case's limit before it is killed
PROGRESS = re.compile(r"\[[#.]{8,}\]")
TRACE = re.compile(r"internal error|Exception|^\s+at [\w.$]+\(", re.M)
# The private folder's part of a path echoed in a reason: not counted in its length (a user passes relative paths).
TEMP_PREFIX = re.compile(r"/\S*/ldmlab-trial-[^/\s]+/(cases/c\d+/|fx/)?")
NONFINITE = re.compile(r"(?<![\w.])-?(NaN|nan|Infinity|inf)(?![\w])")

P = "a big red circle on the left"
P_BLUE = "a big blue circle on the left"
P_TWO = "a small red square above a big blue circle"
LONG_CAPTION = " ".join(["a big red circle on the left"] * 350)  # 2,100 words, as the original trial's

GROUPS = [
    ("1", "dataset: Ctrl-C, SIGTERM, kill -9 leave no temp folders"),
    ("2", "train: one run per --out (a lock that a crash does not leave stuck)"),
    ("3", "sweep resumes only its own model, classifier and settings"),
    ("4", "sweep/figures: non-finite or garbage guidance_sweep.csv"),
    ("5", "sweep: long seeds kept, repeated scales refused"),
    ("6", "a full disk: one line, status 2, nothing partial"),
    ("7", "truncated, corrupt and wrong PNG inputs"),
    ("8", "fid: bad feature files"),
    ("9", "sizes that cannot work are refused"),
    ("10", "non-finite and out-of-range numbers"),
    ("11", "train --resume checks"),
    ("12", "export validates and never overwrites its input"),
    ("13", "every argument checked before any work"),
    ("14", "render's files appear together or not at all"),
    ("15", "no NaN images written"),
    ("16", "notebooks --execute: signals stop Jupyter too"),
    ("17", "minor: long captions, stray words, empty groups, empty folders"),
    ("G", "generic sweep: options and corrupt checkpoints of every command"),
]


# ---- small files written here --------------------------------------------------------------------------------------

def png_bytes(w, h, colour_type=2, depth=8, pixel=None, idat=None):
    """A PNG of w x h (colour type 0 grey, 2 RGB, 6 RGBA); every pixel `pixel` (bytes of one pixel) unless idat given."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    channels = {0: 1, 2: 3, 6: 4}[colour_type]
    if pixel is None:
        pixel = bytes([200, 30, 30, 255][:channels]) if depth == 8 else b"\xc8\x00" * channels
    if idat is None:
        idat = zlib.compress(b"".join(b"\0" + pixel * w for _ in range(h)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, colour_type, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def npy_split(data):
    """(header dict, header bytes, payload) of an .npy file."""
    if data[:6] != b"\x93NUMPY":
        raise ValueError("not an npy")
    if data[6] == 1:
        length, start = struct.unpack("<H", data[8:10])[0], 10
    else:
        length, start = struct.unpack("<I", data[8:12])[0], 12
    header = ast.literal_eval(data[start:start + length].decode("latin1"))
    return header, data[:start + length], data[start + length:]


def npy_bytes(shape, values, descr="<f4"):
    text = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, repr(tuple(shape)))
    text += " " * (63 - (10 + len(text)) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode("latin1") + struct.pack("<%df" % len(values), *values)


def rewrite_zip(src, dst, edit):
    """Copies the zip src to dst (entries stored, CRCs right), each entry through edit(name, bytes) -> bytes or None (drop)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            data = edit(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info.filename, data)


def fill_tensor(value):
    def edit(data):
        header, head, payload = npy_split(data)
        count = len(payload) // 4
        return head + struct.pack("<%df" % count, *([value] * count))
    return edit


def checkpoint_variant(src, dst, variant, kind_file=None):
    """A broken copy of the checkpoint src at dst. The tensor changed is the last ema/ one (the model's output layer)."""
    dst = Path(dst)
    raw = Path(src).read_bytes()
    with zipfile.ZipFile(src) as z:
        names = z.namelist()
    target = [n for n in names if n.startswith("ema/")][-1]
    if variant == "huge-encoder":  # the encoder's last layer: its latents overflow
        target = [n for n in names if n.startswith("ema/encoder.")][-1]
        variant = "huge"
    rng = random.Random(12)
    if variant == "missing":
        return
    if variant == "dir":
        dst.mkdir()
    elif variant == "empty":
        dst.write_bytes(b"")
    elif variant == "text":
        dst.write_text("this is not a checkpoint\n")
    elif variant == "random":
        dst.write_bytes(bytes(rng.getrandbits(8) for _ in range(8192)))
    elif variant == "trunc-half":
        dst.write_bytes(raw[: len(raw) // 2])
    elif variant == "trunc-tail":
        dst.write_bytes(raw[:-30])
    elif variant == "flip":
        with zipfile.ZipFile(src) as z:
            info = z.getinfo(target)
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        data = bytearray(raw)
        position = start + info.compress_size // 2
        data[position] ^= 0x5A
        dst.write_bytes(bytes(data))
    elif variant == "wrong-kind":
        shutil.copyfile(kind_file, dst)
    else:
        edits = {
            "drop-tensor": lambda n, d: None if n == target else d,
            "shape": lambda n, d: npy_bytes((3,), [0.0, 0.0, 0.0]) if n == target else d,
            "nan": lambda n, d: fill_tensor(float("nan"))(d) if n == target else d,
            "inf": lambda n, d: fill_tensor(float("inf"))(d) if n == target else d,
            "huge": lambda n, d: fill_tensor(1e38)(d) if n == target else d,
            "garbage-npy": lambda n, d: b"garbage, not an npy" if n == target else d,
            "no-meta": lambda n, d: None if n == "meta.properties" else d,
            "bad-meta": lambda n, d: re.sub(rb"kind=\w+", b"kind=banana", d) if n == "meta.properties" else d,
        }
        rewrite_zip(src, dst, edits[variant])


# ---- running the toolkit -------------------------------------------------------------------------------------------

class Result:
    def __init__(self, argv, status, out, err, secs, timed_out):
        self.argv, self.status, self.out, self.err, self.secs, self.timed_out = argv, status, out, err, secs, timed_out

    def describe(self):
        what = "killed after %.0f s (still running)" % self.secs if self.timed_out else "exit %s in %.1f s" % (self.status, self.secs)
        clip = lambda text, n: "\n".join(l if len(l) <= 300 else l[:300] + "...(%d chars)" % len(l)
                                         for l in text.strip().splitlines()[-n:])
        err, out = clip(self.err, 4), clip(self.out, 3)
        return what + ("\n      stderr: " + err.replace("\n", "\n              ") if err else "") + \
            ("\n      stdout: " + out.replace("\n", "\n              ") if out else "")


class Toolkit:
    """Runs the jar with the launcher's JVM flags; every process gets a marker in its environment to find leftovers."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.home = tmp / "home"
        self.logs = tmp / "logs"
        self.token = "%d-%d" % (os.getpid(), int(time.time()))
        launcher = (ROOT / "ldmlab").read_text()
        m = re.search(r'^memory="([^"]*)"', launcher, re.M)
        self.memory = m.group(1).split() if m else ["-Xmx2g"]
        self.counter = 0
        self.lock = threading.Lock()

    def command(self, argv, home=None):
        return (["java", "-Djava.awt.headless=true", "-Dldmlab.home=%s" % (home or self.home)] + self.memory
                + ["-jar", str(JAR)] + [str(a) for a in argv])

    def marker(self, case_id):
        return "%s:%s" % (self.token, case_id)

    def env(self, case_id):
        env = dict(os.environ)
        env["OMP_NUM_THREADS"] = "1"
        env.pop("LDMLAB_JAVA_OPTS", None)
        env["LDMLAB_TRIAL"] = self.marker(case_id)
        return env

    def start(self, argv, cwd, case_id, home=None):
        with self.lock:
            self.counter += 1
            n = self.counter
        out = open(self.logs / ("%s-%d.out" % (case_id, n)), "w+b")
        err = open(self.logs / ("%s-%d.err" % (case_id, n)), "w+b")
        p = subprocess.Popen(self.command(argv, home), cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                             env=self.env(case_id), start_new_session=True)
        p.files, p.argv, p.t0 = (out, err), argv, time.monotonic()
        return p

    @staticmethod
    def text_of(p, which):
        f = p.files[which]
        f.flush()
        with open(f.name, "rb") as r:
            return r.read().decode("utf-8", "replace")

    def finish(self, p, limit):
        timed_out = False
        try:
            p.wait(timeout=max(1.0, limit - (time.monotonic() - p.t0)))
        except subprocess.TimeoutExpired:
            timed_out = True
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
        secs = time.monotonic() - p.t0
        res = Result(p.argv, p.returncode, self.text_of(p, 0), self.text_of(p, 1), secs, timed_out)
        for f in p.files:
            f.close()
        return res

    def run(self, argv, cwd, case_id, limit, home=None):
        return self.finish(self.start(argv, cwd, case_id, home), limit)

    def processes(self, case_id):
        """Processes still running with the case's marker in their environment."""
        mark = ("LDMLAB_TRIAL=" + self.marker(case_id)).encode() + b"\0"
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open("/proc/%s/environ" % entry, "rb") as f:
                        if mark in f.read():
                            with open("/proc/%s/cmdline" % entry, "rb") as c:
                                found.append((int(entry), c.read().replace(b"\0", b" ").decode(errors="replace")[:80]))
                except OSError:
                    pass
        return found


# ---- files and folders of a case ----------------------------------------------------------------------------------

def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def snapshot(root):
    """path -> what it is (a folder, a link, or a file's size and SHA-256), for everything under root."""
    seen = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            p = Path(folder) / name
            rel = str(p.relative_to(root))
            if p.is_symlink():
                seen[rel] = ("link", os.readlink(p))
            elif p.is_dir():
                seen[rel] = ("dir",)
            else:
                try:
                    seen[rel] = ("file", p.stat().st_size, sha256(p))
                except OSError as e:
                    seen[rel] = ("unreadable", str(e))
    return seen


def diff(before, after):
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(k for k in set(before) & set(after) if before[k] != after[k])
    return added, removed, changed


def leftovers(root):
    found = []
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            if name.startswith(".ldmlab-tmp-") or name.startswith(".scratch-"):
                found.append(str((Path(folder) / name).relative_to(root)))
    return found


def names(paths, n=3):
    return ", ".join(paths[:n]) + (" and %d more" % (len(paths) - n) if len(paths) > n else "")


class Mounts:
    """tmpfs mounts for full disks and read-only folders; `able` says whether mounting is permitted here."""

    def __init__(self, tmp):
        self.made = []
        self.lock = threading.Lock()
        probe = tmp / "mount-probe"
        probe.mkdir()
        self.able = self.mount(probe, "64k", quiet=True)
        if self.able:
            self.umount(probe)

    def mount(self, path, size, readonly=False, quiet=False):
        options = "size=%s,mode=0777" % size + (",ro" if readonly else "")
        ok = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
        if ok:
            with self.lock:
                self.made.append(path)
        return ok

    def umount(self, path):
        for args in (["umount", str(path)], ["umount", "-l", str(path)]):
            if subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
                with self.lock:
                    if path in self.made:
                        self.made.remove(path)
                return

    def umount_all(self):
        for path in list(reversed(self.made)):
            self.umount(path)


def fill(folder, free):
    """Fills the file system of folder, then frees `free` bytes again (tmpfs counts whole pages)."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for chunk in (1 << 16, 4096, 512, 1):
            block = b"\0" * chunk
            while True:
                try:
                    os.write(fd, block)
                except OSError as e:
                    if e.errno != errno.ENOSPC:
                        raise
                    break
        size = os.fstat(fd).st_size
        os.ftruncate(fd, max(0, size - free))
    finally:
        os.close(fd)


# ---- cases --------------------------------------------------------------------------------------------------------

class Case:
    """One command line (or a scripted run) with what it must do.

    expect: "bad" (status 2, quick, one line, nothing changed), "full" (the same on a full disk, saying so), "ok"
    (status 0, finite outputs), "finite" (a model or setting that may overflow: "bad", or status 0 with every number
    printed or written finite), "stop" (a scripted run whose runner checks the statuses itself).
    """

    def __init__(self, group, argv=None, expect="bad", name=None, limit=None, message=None, setup=None, verify=None,
                 runner=None, home=None, serial=False, needs=None, leftovers_ok=False, work_ok=False):
        self.group, self.argv, self.expect = group, argv, expect
        self.work_ok = work_ok or expect in ("full", "finite")  # the fault shows only in the work (NaN samples, a full disk)
        if home is None and argv and argv[0] == "notebooks":
            home = ROOT  # the labs are the checkout's; --out is always the case's folder
        self.name = name or " ".join(shown(a) for a in argv)
        self.limit = limit or (QUICK if expect == "bad" else SLOW)
        self.message, self.setup, self.verify, self.runner = message, setup, verify, runner
        self.home, self.serial, self.needs, self.leftovers_ok = home, serial or expect == "full", needs, leftovers_ok
        self.id = None


def like(limit, message=None):
    """What a step of a scripted case must do, for status_problems and reason_problems: finish within limit seconds."""
    return Case("", ["-"], limit=limit, message=message)


def shown(word):
    word = str(word)
    if len(word) > 60:
        word = word[:30] + "...(%d chars)" % len(word)
    return "'%s'" % word if (" " in word or word == "") else word


class Context:
    """A case's folder and helpers; {d} in a command line is the folder, {fx} the fixtures, {root} the checkout."""

    def __init__(self, trial, case):
        self.trial, self.case = trial, case
        self.d = trial.tmp / "cases" / case.id
        self.d.mkdir(parents=True)
        self.fx = trial.fx
        self.started = []

    def sub(self, word):
        return str(word).replace("{d}", str(self.d)).replace("{fx}", str(self.fx)).replace("{root}", str(ROOT))

    def argv(self, argv):
        return [self.sub(a) for a in argv]

    def run(self, argv, limit=None, home=None):
        return self.trial.kit.run(self.argv(argv), self.d, self.case.id, limit or self.case.limit + GRACE_KILL,
                                  home or self.case.home)

    def start(self, argv, home=None):
        p = self.trial.kit.start(self.argv(argv), self.d, self.case.id, home or self.case.home)
        self.started.append(p)
        return p

    def stop_all(self):
        """Kills what a scripted case started and left running (when it failed half-way)."""
        for p in self.started:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                p.wait()

    def path(self, rel):
        return self.d / rel

    def copy(self, src, rel):
        src, dst = Path(self.sub(src)), self.d / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst)
        else:
            shutil.copyfile(src, dst)
        return dst

    def mkdir(self, rel):
        (self.d / rel).mkdir(parents=True, exist_ok=True)
        return self.d / rel

    def write(self, rel, data):
        p = self.d / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            p.write_text(data)
        else:
            p.write_bytes(data)
        return p

    def full_disk(self, rel, size="1m", free=0):
        folder = self.mkdir(rel)
        if not self.trial.mounts.mount(folder, size):
            raise Skip("cannot mount a tmpfs here")
        fill(folder, free)
        return folder

    def readonly(self, rel):
        folder = self.mkdir(rel)
        if os.geteuid() != 0:
            folder.chmod(0o555)
        elif not self.trial.mounts.mount(folder, "64k", readonly=True):
            raise Skip("root ignores permissions, and cannot mount a read-only tmpfs here")
        return folder

    def wait_for(self, what, condition, limit=90):
        """Waits until condition() is true; raises Problem naming `what` if it is not within `limit` s."""
        t0 = time.monotonic()
        while not condition():
            if time.monotonic() - t0 > limit:
                raise Problem("never reached: " + what)
            time.sleep(0.1)


class Skip(Exception):
    pass


def send(p, sig):
    """Sends sig to the running command p; a Problem if it ended before."""
    if p.poll() is not None:
        raise Problem("the command ended (status %s) before the signal could be sent" % p.returncode)
    os.kill(p.pid, sig)


class Problem(Exception):
    pass


def reason_problems(res, case):
    problems = []
    lines = [l for l in res.err.splitlines() if l.strip()]
    work = [l for l in lines if PROGRESS.search(l)]
    if work and not case.work_ok:
        problems.append("started work before failing (progress on stderr: %s)" % work[0].strip()[:80])
    reason = [l for l in lines if not l.startswith("usage: ") and not PROGRESS.search(l)]
    if len(reason) != 1:
        problems.append("stderr has %d lines besides the usage line, expected one reason: %s"
                        % (len(reason), " | ".join(l[:100] for l in reason[:4])))
    elif len(TEMP_PREFIX.sub("", reason[0])) > MAX_REASON:
        problems.append("the reason is %d characters (at most %d, paths counted from the case's folder): %s..."
                        % (len(TEMP_PREFIX.sub("", reason[0])), MAX_REASON, reason[0][:100]))
    if TRACE.search(res.err) or TRACE.search(res.out):
        problems.append("an internal error, exception or stack trace was printed")
    if case.message and not re.search(case.message, res.err, re.I):
        problems.append("the reason does not say /%s/" % case.message)
    return problems


def status_problems(res, want, case):
    if res.timed_out:
        return ["did not finish: killed after %.0f s" % res.secs]
    problems = []
    if res.status != want:
        problems.append("exit status %s, expected %s" % (res.status, want))
    if res.secs > case.limit:
        problems.append("took %.1f s, limit %.0f s" % (res.secs, case.limit))
    return problems


def finite_problems(ctx, before, after, res):
    """Exit 0 promises a correct result: nothing non-finite printed or in a CSV written."""
    problems = []
    if NONFINITE.search(res.out):
        problems.append("printed a non-finite number: " + NONFINITE.search(res.out).group(0))
    for rel in diff(before, after)[0] + diff(before, after)[2]:
        p = ctx.d / rel
        if p.suffix == ".csv" and p.is_file():
            text = p.read_text(errors="replace")
            if NONFINITE.search(text):
                problems.append("%s holds a non-finite number" % rel)
        if p.suffix == ".npy" and p.is_file() and not npy_finite(p.read_bytes()):
            problems.append("%s holds NaN or Infinity" % rel)
    return problems


def npy_finite(data):
    """Whether every number of a float .npy file is finite."""
    header, _, payload = npy_split(data)
    code = {"<f4": "f", "<f8": "d"}.get(header["descr"])
    if code is None:
        return True
    values = array.array(code)
    values.frombytes(payload[: len(payload) - len(payload) % values.itemsize])
    return all(math.isfinite(v) for v in values)


class Trial:
    def __init__(self, args):
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="ldmlab-trial-"))
        self.fx = self.tmp / "fx"
        for d in ("home", "logs", "cases", "fx"):
            (self.tmp / d).mkdir()
        self.kit = Toolkit(self.tmp)
        self.mounts = Mounts(self.tmp)
        self.jupyter = None

    # -- one case --
    def run_case(self, case):
        t0 = time.monotonic()
        try:
            ctx = Context(self, case)
            if case.needs == "mount" and not self.mounts.able:
                raise Skip("mounting a tmpfs is not permitted here")
            if case.needs == "jupyter" and not self.jupyter:
                raise Skip("Jupyter or the java kernel is not installed")
            if case.setup:
                case.setup(ctx)
            inputs = {}
            for word in ctx.argv(case.argv or []):
                if word.startswith(str(self.fx)) and Path(word).is_file():
                    inputs[word] = sha256(word)
            before = snapshot(ctx.d)
            try:
                if case.runner:
                    res, problems = case.runner(ctx)
                else:
                    res = ctx.run(case.argv)
                    problems = self.judge(ctx, case, res, before)
                    if case.verify and not problems:
                        problems += case.verify(ctx, res) or []
            except Problem as p:
                res, problems = None, [str(p)]
                ctx.stop_all()
            problems += self.after(ctx, case, inputs, before)
            return case, "fail" if problems else "pass", problems, res, time.monotonic() - t0
        except Skip as s:
            return case, "skip", [str(s)], None, time.monotonic() - t0
        except Exception as e:  # a bug of the harness: say so, go on
            return case, "fail", ["harness error: %r" % e], None, time.monotonic() - t0
        finally:
            for m in list(self.mounts.made):
                if str(m).startswith(str(self.tmp / "cases" / case.id)):
                    self.mounts.umount(m)

    def judge(self, ctx, case, res, before):
        after = snapshot(ctx.d)
        if case.expect == "finite" and res.status == 0 and not res.timed_out:  # a finite result is a correct one here
            problems = ["an internal error, exception or stack trace was printed"] if TRACE.search(res.err) else []
            return problems + finite_problems(ctx, before, after, res)
        if case.expect in ("bad", "full", "finite"):
            problems = status_problems(res, 2, case)
            if not res.timed_out:
                problems += reason_problems(res, case)
            added, removed, changed = diff(before, after)
            if added:
                problems.append("left new files or folders: " + names(added))
            if removed:
                problems.append("removed: " + names(removed))
            if changed:
                problems.append("changed: " + names(changed))
            return problems
        problems = status_problems(res, 0, case)
        if TRACE.search(res.err):
            problems.append("an internal error, exception or stack trace was printed")
        return problems + finite_problems(ctx, before, after, res)

    def after(self, ctx, case, inputs, before):
        problems = []
        if not case.leftovers_ok:
            left = leftovers(ctx.d)
            if left:
                problems.append("temporary entries left behind: " + names(left))
        for folder, dirs, files in os.walk(ctx.d):
            if not dirs and not files and str(Path(folder).relative_to(ctx.d)) not in before \
                    and Path(folder) != ctx.d and not os.path.ismount(folder):
                problems.append("an empty folder was left: " + str(Path(folder).relative_to(ctx.d)))
                break
        for word, digest in inputs.items():
            if not Path(word).is_file() or sha256(word) != digest:
                problems.append("the input %s was changed" % Path(word).name)
        t0 = time.monotonic()
        grace = 10 if case.expect == "stop" else 3
        while True:
            alive = self.kit.processes(case.id)
            if not alive or time.monotonic() - t0 > grace:
                break
            time.sleep(0.3)
        if alive:
            problems.append("processes still running after the command ended: " + "; ".join(c for _, c in alive[:3]))
            for pid, _ in alive:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        return problems

    # -- fixtures --
    def make(self, argv, cwd=None, limit=300, home=None):
        res = self.kit.run([str(a) for a in argv], cwd or self.fx, "fixture", limit, home)
        if res.status != 0:
            sys.exit("bad-input-trial: making a fixture failed: ldmlab %s\n%s" % (" ".join(map(str, argv)), res.describe()))
        return res

    def build_fixtures(self):
        fx = self.fx
        t0 = time.monotonic()
        print("fixtures: renders, 2-step training checkpoints, a tiny sweep (about a minute)...", flush=True)
        self.make(["render", "--caption", P, "--out", fx / "one.png", "--scale", "1"])
        self.make(["render", "--caption", P_TWO, "--out", fx / "two.png", "--scale", "2"])
        self.make(["train", "classifier", "--steps", "2", "--batch", "2", "--out", fx / "train"])
        self.make(["train", "ldm", "--steps", "2", "--batch", "2", "--pool", "4", "--out", fx / "train"])
        self.make(["export", "--model", fx / "train" / "ldm.zip", "--kind", "ldm", "--out", fx / "ldm-export.zip"])
        self.make(["sweep", "guidance", "--n", "4", "--scales", "1", "--steps", "1", "--threads", "1", "--out", fx / "sweep"])
        (fx / "sweep-rel").mkdir()
        shutil.copyfile(MODELS / "ldm.zip", fx / "sweep-rel" / "m.zip")
        self.make(["sweep", "guidance", "--n", "4", "--scales", "1", "--steps", "1", "--threads", "1", "--model", "m.zip",
                   "--out", "sw"], cwd=fx / "sweep-rel")
        (fx / "sweep-rel" / "m.zip").unlink()
        listing = self.make(["notebooks"], limit=60, home=ROOT).out
        self.jupyter = "jupyter: ready" in listing
        # PNGs
        png = fx / "png"
        png.mkdir()
        good = (fx / "one.png").read_bytes()
        variants = {
            "truncated.png": good[: len(good) * 2 // 3],
            "header-only.png": good[:33],
            "flipped.png": good[:60] + bytes(b ^ 0x5A for b in good[60:90]) + good[90:],
            "bad-zlib.png": png_bytes(32, 32, idat=b"\x78\x9c" + b"garbage" * 20),
            "not-png.png": b"this is text, not a picture\n",
            "empty.png": b"",
            "33x33.png": png_bytes(33, 33),
            "32x64.png": png_bytes(32, 64),
            "1x1.png": png_bytes(1, 1),
            "bomb.png": png_bytes(46000, 46000, idat=zlib.compress(b"\0" * 4096)),
            "grey.png": png_bytes(32, 32, colour_type=0, pixel=b"\xff"),
            "rgba16.png": png_bytes(32, 32, colour_type=6, depth=16),
            "black-mask.png": png_bytes(32, 32, pixel=b"\0\0\0"),
            "checkpoint.png": (MODELS / "classifier.zip").read_bytes()[:20000],
        }
        for name, data in variants.items():
            (png / name).write_bytes(data)
        (png / "folder.png").mkdir()
        # fid feature files
        fid = fx / "fid"
        fid.mkdir()
        rng = random.Random(3)
        rows = lambda n, c, shift=0.0: "\n".join(",".join("%.6f" % (rng.gauss(0, 1) + shift) for _ in range(c)) for _ in range(n)) + "\n"
        (fid / "a.csv").write_text(rows(60, 4))
        (fid / "b.csv").write_text(rows(60, 4, 0.5))
        (fid / "header.csv").write_text("f0,f1,f2,f3\n" + rows(60, 4))
        (fid / "five.csv").write_text(rows(60, 5))
        few = rows(3, 4)
        (fid / "few.csv").write_text(few)
        (fid / "few-copy.csv").write_text(few)
        fid_variants = {
            "nan.csv": rows(10, 4) + "1,NaN,2,3\n" + rows(10, 4),
            "inf.csv": rows(10, 4) + "1,Infinity,2,3\n" + rows(10, 4),
            "minus-inf.csv": rows(10, 4) + "1,-Infinity,2,3\n" + rows(10, 4),
            "huge.csv": rows(10, 4) + "1e308,1e308,2,3\n" + rows(10, 4),
            "overflow.csv": rows(10, 4) + "1e400,1,2,3\n" + rows(10, 4),
            "word.csv": rows(10, 4) + "1,two,3,4\n" + rows(10, 4),
            "typo-first-row.csv": "1.0,2.o,3.0,4.0\n" + rows(30, 4),
            "ragged.csv": rows(10, 4) + "1,2,3\n" + rows(10, 4),
            "empty.csv": "",
            "header-only.csv": "f0,f1,f2,f3\n",
            "blank-lines.csv": "\n\n" + rows(2, 4) + "\n\n1,2,x,4\n",
            "one-row.csv": rows(1, 4),
            "semicolons.csv": "\n".join(";".join("1.0" for _ in range(4)) for _ in range(10)) + "\n",
            "binary.csv": bytes(random.Random(5).getrandbits(8) for _ in range(4096)),
            "utf16.csv": rows(10, 4).encode("utf-16"),
            "trailing-comma.csv": "\n".join(l + "," for l in rows(10, 4).splitlines()) + "\n",
        }
        for name, data in fid_variants.items():
            (fid / name).write_bytes(data if isinstance(data, bytes) else data.encode())
        (fid / "folder.csv").mkdir()
        # guidance sweep tables that cannot be resumed
        table = (fx / "sweep" / "guidance_sweep.csv").read_text()
        header, row = table.splitlines()[0], table.splitlines()[1]
        cells = row.split(",")
        cols = header.split(",")
        def with_cell(column, value):
            c = list(cells)
            c[cols.index(column)] = value
            return header + "\n" + ",".join(c) + "\n"
        sweeps = {
            "nan-fid": with_cell("fid", "NaN"),
            "inf-fid": with_cell("fid", "Infinity"),
            "empty-fid": with_cell("fid", ""),
            "word-cell": with_cell("precision", "high"),
            "nan-seed": with_cell("seed", "NaN"),
            "garbage-row": header + "\n" + row + "\nthis,is,not,a,row\n",
            "extra-cell": header + "\n" + row + ",42\n",
            "short-row": header + "\n" + ",".join(cells[:-3]) + "\n",
            "repeated-row": header + "\n" + row + "\n" + row + "\n",
            "truncated": table[: len(table) - len(row) // 2],
            "empty": "",
            "other-header": header.replace("fid", "fld") + "\n" + row + "\n",
            "binary": bytes(random.Random(7).getrandbits(8) for _ in range(2048)),
        }
        for name, data in sweeps.items():
            folder = fx / "sweeps" / name
            folder.mkdir(parents=True)
            (folder / "guidance_sweep.csv").write_bytes(data if isinstance(data, bytes) else data.encode())
        (fx / "sweeps" / "folder" / "guidance_sweep.csv").mkdir(parents=True)
        print("fixtures: ready in %.0f s" % (time.monotonic() - t0), flush=True)

    def checkpoint(self, source, variant):
        """A broken copy of a checkpoint: source is a shipped model's name or 'train-ldm', 'train-classifier'."""
        src = {"train-ldm": self.fx / "train" / "ldm.zip", "train-classifier": self.fx / "train" / "classifier.zip"}.get(
            source, MODELS / ("%s.zip" % source))
        dst = self.fx / "ckpt" / ("%s-%s.zip" % (source, variant))
        if not dst.exists() and variant != "missing":
            dst.parent.mkdir(exist_ok=True)
            other = MODELS / ("classifier.zip" if "classifier" not in source else "autoencoder.zip")
            checkpoint_variant(src, dst, variant, other)
        return str(dst)


# ---- the table of cases ------------------------------------------------------------------------------------------

# A valid command line per command, small enough that a bad value wrongly accepted shows as "exit 0" rather than a
# long run; {d} is the case's folder, {fx} the fixtures.
BASE = {
    "info": [],
    "schedule": ["--out", "{d}/s.csv"],
    "dataset": ["--out", "{d}/ds", "--count", "3"],
    "render": ["--caption", P, "--out", "{d}/r.png"],
    "tour": ["--out", "{d}/tour"],
    "train": ["ldm", "--steps", "2", "--batch", "2", "--pool", "4", "--out", "{d}/run"],
    "sample": ["--prompt", P, "--out", "{d}/out", "--n", "1", "--steps", "2"],
    "edit": ["--source", P, "--target", P_BLUE, "--out", "{d}/out", "--steps", "2"],
    "export": ["--model", "{fx}/train/ldm.zip", "--kind", "ldm", "--out", "{d}/e.zip"],
    "eval": ["--steps", "1", "--pairs", "0", "--csv", "{d}/eval.csv"],
    "inpaint": ["--image", "{fx}/one.png", "--mask", "{fx}/one_mask_0.png", "--prompt", P, "--out", "{d}/out", "--n", "1",
                "--steps", "2"],
    "fid": ["--a", "{fx}/fid/a.csv", "--b", "{fx}/fid/b.csv"],
    "flops": ["--preset", "unet"],
    "sweep guidance": ["guidance", "--n", "4", "--scales", "1", "--steps", "1", "--threads", "1", "--out", "{d}/sw"],
    "sweep injection": ["injection", "--pairs", "1", "--steps", "2", "--out", "{d}/inj"],
    "figures": ["--out", "{d}/fig"],
    "notebooks": ["--out", "{d}/nb"],
    "attention": ["--prompt", P, "--out", "{d}/att", "--steps", "3"],
    "attention-score": ["--n", "2", "--steps", "10", "--csv", "{d}/as.csv"],
    "edit-score": ["--pairs", "1", "--steps", "2", "--csv", "{d}/es.csv"],
    "compare": ["conditioning", "--steps", "200", "--evals", "4", "--out", "{d}/cmp", "--figures", "{d}/cmpfig"],
    "invert": ["--image", "{fx}/one.png", "--caption", P, "--out", "{d}/inv", "--steps", "2"],
    "inversion-bench": ["--n", "1", "--scales", "1", "--steps", "2", "--csv", "{d}/ib.csv", "--figures", "{d}/ibf"],
    "edit-bench": ["--n", "1", "--steps", "2", "--csv", "{d}/eb.csv", "--figure", "{d}/eb.png"],
}

# The numeric options of each command: (option, kind, lowest, highest) as its usage documents them (None: no bound).
NUMERIC = {
    "schedule": [("steps", "int", 2, 100000)],
    "dataset": [("count", "int", 1, None), ("seed", "long", None, None)],
    "render": [("seed", "long", None, None), ("scale", "int", 1, 64)],
    "tour": [("seed", "long", None, None)],
    "train": [("steps", "long", 1, None), ("batch", "int", 1, 256), ("lr", "real", 0, 1), ("seed", "long", None, None),
              ("every", "int", 1, None), ("workers", "int", 1, 2), ("pool", "int", 1, 65536)],
    "sample": [("n", "int", 1, 256), ("steps", "int", 1, 1000), ("eta", "real", 0, 1), ("guidance", "real", None, None),
               ("seed", "long", None, None)],
    "edit": [("cross", "real", 0, 1), ("self", "real", 0, 1), ("seed", "long", None, None), ("steps", "int", 1, 1000),
             ("guidance", "real", None, None)],
    "eval": [("guidance", "real", None, None), ("steps", "int", 1, 1000), ("n", "int", 1, 50), ("pairs", "int", 0, 5000),
             ("seed", "long", None, None), ("threads", "int", 1, 64)],
    "inpaint": [("n", "int", 1, 64), ("steps", "int", 1, 1000), ("guidance", "real", None, None), ("seed", "long", None, None)],
    "sweep guidance": [("scales", "reals", None, None), ("n", "int", 4, 5000), ("seed", "long", None, None),
                       ("steps", "int", 1, 1000), ("threads", "int", 1, 64)],
    "sweep injection": [("pairs", "int", 1, None), ("seed", "long", None, None), ("steps", "int", 1, 1000),
                        ("guidance", "real", None, None)],
    "notebooks": [("cell-timeout", "int", 1, None)],
    "attention": [("seed", "long", None, None), ("steps", "int", 1, 1000), ("guidance", "real", None, None),
                  ("from", "real", 0, 1), ("to", "real", 0, 1)],
    "attention-score": [("n", "int", 1, None), ("seed", "long", None, None), ("steps", "int", 1, 1000),
                        ("guidance", "real", None, None), ("tau", "real", 0, 1)],
    "edit-score": [("pairs", "int", 1, None), ("seed", "long", None, None), ("steps", "int", 1, 1000),
                   ("guidance", "real", None, None)],
    "compare": [("budget-minutes", "real", 0, None), ("steps", "long", 1, None), ("evals", "int", 1, None),
                ("batch", "int", 1, 256), ("lr", "real", 0, 1), ("seed", "long", None, None), ("pool", "int", 1, 65536),
                ("workers", "int", 1, None), ("threads", "int", 1, 64)],
    "invert": [("steps", "int", 1, 1000), ("guidance", "real", None, None), ("inversion-guidance", "real", None, None)],
    "inversion-bench": [("n", "int", 1, None), ("seed", "long", None, None), ("scales", "reals", None, None),
                        ("steps", "ints", 1, 1000)],
    "edit-bench": [("n", "int", 1, None), ("seed", "long", None, None), ("steps", "int", 1, 1000),
                   ("guidance", "real", None, None)],
}

# Options that name a file or folder and have a default: given with no value they must not become a path "true".
PATH_OPTIONS = {
    "tour": ["out", "model", "inpaint-model"], "train": ["out", "autoencoder"], "sample": ["model"], "edit": ["model"],
    "eval": ["csv", "model", "classifier"], "inpaint": ["model"], "flops": ["csv"], "sweep guidance": ["out", "model", "classifier"],
    "sweep injection": ["out"], "figures": ["out"], "notebooks": ["out"], "attention": ["model"],
    "attention-score": ["csv"], "edit-score": ["csv"], "compare": ["out", "figures"], "invert": ["model"],
    "inversion-bench": ["csv", "figures"], "edit-bench": ["csv", "figure"],
}

REQUIRED = {
    "schedule": ["out"], "dataset": ["out", "count"], "render": ["caption", "out"], "sample": ["prompt", "out"],
    "edit": ["source", "target", "out"], "export": ["model", "kind", "out"],
    "inpaint": ["image", "mask", "prompt", "out"], "fid": ["a", "b"], "attention": ["prompt", "out"],
    "invert": ["image", "caption", "out"],
}


def base(command, *extra, drop=()):
    """The command line of BASE[command] without the options in drop (and their values), then extra."""
    words, out, i = BASE[command], command.split()[:1], 0
    while i < len(words):
        if words[i].startswith("--") and words[i][2:] in drop:
            i += 2
            continue
        out.append(words[i])
        i += 1
    return out + list(extra)


def with_option(command, option, value):
    """base(command) with --option set to value (replacing the base's own); None: the option given with no value."""
    words = base(command, drop=(option,))
    return words + (["--" + option] if value is None else ["--" + option, value])


def bad_values(kind, low, high):
    """Values the option must refuse: not numbers, not finite, not whole, past 32 or 64 bits, outside its range."""
    values = ["abc", None]
    if kind == "int":
        values += ["NaN", "Infinity", "1e308", "1.5", "2147483648", "4294967297"]
    elif kind == "long":
        values += ["NaN", "Infinity", "1.5", "9223372036854775808"]
    elif kind == "real":
        values += ["NaN", "Infinity", "-Infinity", "1e400"]
    elif kind == "reals":
        values += ["NaN", "1,NaN", "Infinity", "1,,2", "1,1"]
    elif kind == "ints":
        values += ["NaN", "1.5", "2147483648", "10,10"]
    if kind in ("int", "long", "ints") and low is not None:
        values.append(str(low - 1))
    if kind in ("int", "long", "ints") and high is not None:
        values.append(str(high + 1))
    if kind == "real" and low is not None:
        values.append(str(low - 1) if low != 0 else "-0.5")
    if kind == "real" and high is not None:
        values += [str(high + 1), "1e308"]
    return values


def written(ctx):
    """The PNGs a dataset run has written so far into its hidden temporary folder."""
    return [f for t in ctx.d.glob(".ldmlab-tmp-*") for f in t.rglob("*.png")]


def case_table(trial):
    C = []
    fx = "{fx}"
    ck = trial.checkpoint

    # ---- 1: dataset and signals ----
    def dataset_signal(sig, when, existing=False):
        def runner(ctx):
            p = ctx.start(["dataset", "--out", "{d}/ds", "--count", "20000"])
            scratch = lambda: written(ctx)
            ctx.wait_for("the dataset's temp folder filling", lambda: len(scratch()) >= when or p.poll() is not None)
            send(p, sig)
            res = trial.kit.finish(p, 60)
            want = 128 + sig
            problems = status_problems(res, want, ctx.case)
            if existing:
                if not (ctx.d / "ds").is_dir() or any((ctx.d / "ds").iterdir()):
                    problems.append("the empty --out folder given was not left as it was")
            elif (ctx.d / "ds").exists():
                problems.append("a partial --out folder was left")
            return res, problems
        return runner

    for sig, sname in ((signal.SIGINT, "SIGINT"), (signal.SIGTERM, "SIGTERM")):
        for when in (1, 200):
            C.append(Case("1", expect="stop", name="dataset --count 20000, %s after %d files" % (sname, when), serial=True,
                          runner=dataset_signal(sig, when)))
        C.append(Case("1", expect="stop", name="dataset into an existing empty --out, %s" % sname, serial=True,
                      setup=lambda ctx: ctx.mkdir("ds"), runner=dataset_signal(sig, 100, existing=True)))

    def dataset_signal_nested(ctx):
        p = ctx.start(["dataset", "--out", "{d}/new/deeper/ds", "--count", "20000"])
        ctx.wait_for("the dataset's temp folder filling", lambda: len([f for f in (ctx.d / "new" / "deeper").glob(".ldmlab-tmp-*/*/*.png")]) >= 20
                     or p.poll() is not None)
        send(p, signal.SIGINT)
        res = trial.kit.finish(p, 60)
        problems = status_problems(res, 130, like(SLOW))
        if (ctx.d / "new").exists():
            problems.append("the folders made for --out were left behind")
        return res, problems

    C.append(Case("1", expect="stop", name="dataset into a new nested --out new/deeper/ds, SIGINT", serial=True,
                  runner=dataset_signal_nested))

    def dataset_kill9_then_rerun(ctx):
        p = ctx.start(["dataset", "--out", "{d}/ds", "--count", "20000"])
        ctx.wait_for("the dataset's temp folder filling", lambda: len(written(ctx)) >= 100)
        send(p, signal.SIGKILL)
        trial.kit.finish(p, 30)
        problems = [] if leftovers(ctx.d) else ["(kill -9 left no temp folder: the rerun's clean-up was not tested)"]
        res = ctx.run(["dataset", "--out", "{d}/ds2", "--count", "2"], limit=60)
        problems += status_problems(res, 0, ctx.case)
        if (ctx.d / "ds").exists():
            problems.append("kill -9 left a partial --out folder")
        return res, problems

    C.append(Case("1", expect="stop", name="dataset kill -9, then another dataset run beside it removes the stale temp folder",
                  serial=True, runner=dataset_kill9_then_rerun))

    def dataset_kill9_same_out(ctx):
        p = ctx.start(["dataset", "--out", "{d}/ds", "--count", "20000"])
        ctx.wait_for("the dataset's temp folder filling", lambda: len(written(ctx)) >= 50)
        send(p, signal.SIGKILL)
        trial.kit.finish(p, 30)
        res = ctx.run(["dataset", "--out", "{d}/ds", "--count", "3"], limit=60)
        problems = status_problems(res, 0, ctx.case)
        if len(list((ctx.d / "ds").rglob("*.png"))) < 3:
            problems.append("the rerun did not write its samples")
        return res, problems

    C.append(Case("1", expect="stop", name="dataset kill -9, then the same dataset --out again", serial=True,
                  runner=dataset_kill9_same_out))
    C.append(Case("1", ["dataset", "--out", "{d}/ds", "--count", "0"]))
    C.append(Case("1", ["dataset", "--out", "{d}/ds", "--count", "5", "--split", "holdout"]))
    C.append(Case("1", ["dataset", "--out", "{d}/ds", "--count", "4", "--split", "test"], expect="ok",
                  verify=lambda ctx, res: [] if (ctx.d / "ds" / "manifest.csv").is_file() else ["no manifest.csv"]))

    # ---- 2: train lock ----
    TRAIN_LONG = ["train", "classifier", "--steps", "100000", "--batch", "2", "--every", "100000", "--out", "{d}/run"]

    def started(ctx, p):
        return lambda: "classifier [" in trial.kit.text_of(p, 1) or p.poll() is not None

    def second_run_refused(kind_words):
        def runner(ctx):
            a = ctx.start(TRAIN_LONG)
            ctx.wait_for("the first run training", started(ctx, a))
            b = ctx.run(kind_words, limit=QUICK + GRACE_KILL)
            problems = ["second run: " + p for p in status_problems(b, 2, like(QUICK))]
            problems += ["second run: " + p for p in reason_problems(b, like(QUICK, message="in use|lock|running|another"))]
            send(a, signal.SIGINT)
            ra = trial.kit.finish(a, 60)
            problems += ["first run: " + p for p in status_problems(ra, 130, like(SLOW))]
            if not (ctx.d / "run" / "classifier.zip").is_file():
                problems.append("the first run's checkpoint is missing after Ctrl-C")
            return b, problems
        return runner

    C.append(Case("2", expect="stop", name="train classifier twice into one --out at once", serial=True,
                  runner=second_run_refused(TRAIN_LONG)))
    C.append(Case("2", expect="stop", name="train ldm into the --out a classifier run is using", serial=True,
                  runner=second_run_refused(["train", "ldm", "--steps", "5", "--batch", "2", "--pool", "4", "--out", "{d}/run"])))
    C.append(Case("2", expect="stop", name="train --resume into the --out a run is using", serial=True,
                  runner=second_run_refused(["train", "classifier", "--resume", "--steps", "200000", "--batch", "2", "--out", "{d}/run"])))

    def lock_after_kill9(ctx):
        a = ctx.start(TRAIN_LONG)
        ctx.wait_for("the first run training", started(ctx, a))
        send(a, signal.SIGKILL)
        trial.kit.finish(a, 30)
        res = ctx.run(["train", "classifier", "--steps", "2", "--batch", "2", "--out", "{d}/run"], limit=SLOW)
        return res, status_problems(res, 0, ctx.case)

    C.append(Case("2", expect="stop", name="train after a kill -9 of a run on the same --out (the lock is not stuck)",
                  serial=True, runner=lock_after_kill9, leftovers_ok=True))
    def train_signal(sig):
        def runner(ctx):
            p = ctx.start(TRAIN_LONG)
            ctx.wait_for("the run training", started(ctx, p))
            time.sleep(1)
            send(p, sig)
            res = trial.kit.finish(p, 60)
            problems = status_problems(res, 128 + sig, like(SLOW))
            stopped = re.search(r"stopped at step (\d+)", res.out + res.err)
            if not stopped or not (ctx.d / "run" / "classifier.zip").is_file():
                return res, problems + ["no checkpoint saved on the signal"]
            again = ctx.run(["train", "classifier", "--resume", "--steps", str(int(stopped.group(1)) + 1), "--batch", "2",
                             "--out", "{d}/run"], limit=SLOW)
            return res, problems + ["the resume: " + q for q in status_problems(again, 0, like(SLOW))]
        return runner

    def train_signal_while_encoding(ctx):
        p = ctx.start(["train", "ldm", "--steps", "5", "--batch", "2", "--pool", "8192", "--out", "{d}/new/run"])
        ctx.wait_for("the latents being encoded", lambda: "encode latents [" in trial.kit.text_of(p, 1) or p.poll() is not None)
        send(p, signal.SIGINT)
        res = trial.kit.finish(p, 60)
        problems = status_problems(res, 130, like(SLOW))
        if (ctx.d / "new").exists():
            problems.append("left behind: " + ", ".join(str(q.relative_to(ctx.d)) for q in (ctx.d / "new").rglob("*")))
        return res, problems

    for sig, sname in ((signal.SIGINT, "SIGINT"), (signal.SIGTERM, "SIGTERM")):
        C.append(Case("2", expect="stop", serial=True, runner=train_signal(sig),
                      name="train classifier, %s mid-run: saved, and resumed from there" % sname))
    C.append(Case("2", expect="stop", serial=True, runner=train_signal_while_encoding,
                  name="train ldm into a new --out, SIGINT while the latents are encoded: nothing left"))
    C.append(Case("2", ["train", "classifier", "--steps", "2", "--batch", "2", "--out", "{d}/run"], expect="ok",
                  name="train into a folder with a stale .lock of a dead process",
                  setup=lambda ctx: ctx.write("run/.lock", "999999\n")))
    C.append(Case("2", ["train", "classifier", "--steps", "2", "--batch", "2", "--out", "{d}/f"],
                  setup=lambda ctx: ctx.write("f", "a file\n")))
    C.append(Case("2", ["train", "classifier", "--steps", "2", "--batch", "2", "--out", "{d}/f/run"],
                  setup=lambda ctx: ctx.write("f", "a file\n")))
    C.append(Case("2", ["train", "classifier", "--steps", "2", "--batch", "2", "--out", "{d}/ro/run"], needs="mount",
                  setup=lambda ctx: ctx.readonly("ro")))

    # ---- 3: sweep resumes only its own run ----
    def sweep_copy(ctx):
        ctx.copy(fx + "/sweep", "sw")

    SW = ["sweep", "guidance", "--n", "4", "--scales", "1", "--steps", "1", "--threads", "1", "--out", "{d}/sw"]
    C.append(Case("3", SW, expect="ok", name="sweep again with the same settings resumes (no sampling)", setup=sweep_copy,
                  verify=lambda ctx, res: [] if "already in" in res.out else ["did not say the scale was already done"]))
    for extra, why in ((["--model", fx + "/train/ldm.zip"], "another --model"), (["--model", "dit"], "the shipped DiT"),
                       (["--classifier", fx + "/train/classifier.zip"], "another --classifier"),
                       (["--model", MODELS / "ldm.zip", "--classifier", fx + "/train/classifier.zip"], "same model by path, other classifier")):
        C.append(Case("3", SW + [str(e) for e in extra], setup=sweep_copy, name="sweep resume with " + why, message="other|another"))
    for option, value in (("n", "5"), ("steps", "2"), ("seed", "1")):
        C.append(Case("3", with_option("sweep guidance", option, value), setup=sweep_copy,
                      name="sweep resume with another --%s" % option))

    def same_name_other_model(ctx):
        ctx.copy(fx + "/sweep-rel/sw", "sw")
        ctx.copy(str(MODELS / "dit.zip"), "m.zip")

    C.append(Case("3", ["sweep", "guidance", "--n", "4", "--scales", "1", "--steps", "1", "--threads", "1", "--model", "m.zip",
                        "--out", "sw"], setup=same_name_other_model, name="sweep resume: --model m.zip, but m.zip now another model"))
    C.append(Case("3", ["figures", "--with-sweep", "--out", "{d}/sw"], setup=sweep_copy,
                  name="figures --with-sweep on a sweep CSV of other settings"))

    # ---- 4: non-finite and garbage sweep tables ----
    for variant in ("nan-fid", "inf-fid", "empty-fid", "word-cell", "nan-seed", "garbage-row", "extra-cell", "short-row",
                    "repeated-row", "truncated", "empty", "other-header", "binary", "folder"):
        setup = (lambda v: lambda ctx: ctx.copy(fx + "/sweeps/" + v, "sw"))(variant)
        C.append(Case("4", SW, setup=setup, name="sweep guidance on a guidance_sweep.csv: " + variant))
        C.append(Case("4", ["figures", "--with-sweep", "--out", "{d}/sw"], setup=setup,
                      name="figures --with-sweep on a guidance_sweep.csv: " + variant))
    C.append(Case("4", SW[:-2] + ["--out", "{d}/new", "--model", ck("ldm", "huge")], limit=SLOW, work_ok=True,
                  name="sweep with a model that samples NaN writes no row"))

    # ---- 5: seeds and scales ----
    def twice(argv, check_seed=None):
        def runner(ctx):
            first = ctx.run(argv, limit=SLOW)
            problems = ["first run: " + p for p in status_problems(first, 0, like(SLOW))]
            second = ctx.run(argv, limit=SLOW)
            problems += ["second run: " + p for p in status_problems(second, 0, like(SLOW))]
            if check_seed is not None:
                csv = (ctx.d / "sw" / "guidance_sweep.csv").read_text() if (ctx.d / "sw" / "guidance_sweep.csv").exists() else ""
                if not re.search(r",%s," % re.escape(check_seed), csv):
                    problems.append("guidance_sweep.csv does not record seed " + check_seed)
                if "already in" not in second.out:
                    problems.append("the rerun did not resume its own CSV")
            return second, problems
        return runner

    for seed in ("4294967297", "-9223372036854775808", "9223372036854775807"):
        C.append(Case("5", expect="stop", name="sweep --seed %s twice: stored as given, the rerun resumes" % seed,
                      runner=twice(SW + ["--seed", seed], seed), limit=SLOW))
    C.append(Case("5", expect="stop", name="train --seed 4294967297, then --resume with it",
                  runner=lambda ctx: twice_resume(ctx, trial)))
    for scales in ("1,1", "1,1.0", "1,01", "1, 1", "2,1,2", "1,,2", ",", "1e400", "-Infinity"):
        C.append(Case("5", SW[:-6] + ["--scales", scales] + SW[-4:]))
    for seed in ("9223372036854775808", "1e3", "0x10", "4294967297.5"):
        C.append(Case("5", with_option("sweep guidance", "seed", seed)))

    # ---- 6: a full disk ----
    full = [
        (["schedule", "--steps", "100000", "--out", "{d}/disk/s.csv"], "1m", 0),
        (["schedule", "--steps", "100000", "--out", "{d}/disk/s.csv"], "1m", 65536),
        (["dataset", "--out", "{d}/disk/ds", "--count", "300"], "1m", 0),
        (["dataset", "--out", "{d}/disk/ds", "--count", "300"], "1m", 200000),
        (["render", "--caption", P_TWO, "--out", "{d}/disk/r.png", "--scale", "64"], "1m", 0),
        (["render", "--caption", P_TWO, "--out", "{d}/disk/r.png", "--scale", "64"], "1m", 40000),
        (base("sample", drop=("out",)) + ["--out", "{d}/disk/out"], "1m", 0),
        (base("sample", drop=("out", "n")) + ["--n", "16", "--out", "{d}/disk/out"], "1m", 20000),
        (base("inpaint", drop=("out",)) + ["--out", "{d}/disk/out"], "1m", 0),
        (["export", "--model", fx + "/train/ldm.zip", "--kind", "ldm", "--out", "{d}/disk/e.zip"], "1m", 0),
        (["export", "--model", fx + "/train/ldm.zip", "--kind", "ldm", "--out", "{d}/disk/e.zip"], "4m", 2000000),
        (["train", "classifier", "--steps", "2", "--batch", "2", "--every", "1", "--out", "{d}/disk/run"], "1m", 0),
        (["train", "classifier", "--steps", "2", "--batch", "2", "--every", "1", "--out", "{d}/disk/run"], "4m", 1500000),
        (["train", "ldm", "--steps", "2", "--batch", "2", "--pool", "4", "--out", "{d}/disk/run"], "8m", 4000000),
        (["tour", "--out", "{d}/disk/tour"], "1m", 0),
        (["figures", "--out", "{d}/disk/fig"], "1m", 0),
        (base("eval", drop=("csv",)) + ["--csv", "{d}/disk/eval.csv"], "1m", 0),
        (SW[:-1] + ["{d}/disk/sw"], "1m", 0),
        (base("sweep injection", drop=("out",)) + ["--out", "{d}/disk/inj"], "1m", 0),
        (base("attention", drop=("out",)) + ["--out", "{d}/disk/att"], "1m", 0),
        (base("invert", drop=("out",)) + ["--out", "{d}/disk/inv"], "1m", 0),
        (base("edit", drop=("out",)) + ["--out", "{d}/disk/ed"], "1m", 0),
        (["flops", "--preset", "unet", "--csv", "{d}/disk/f.csv"], "1m", 0),
        (base("attention-score", drop=("csv",)) + ["--csv", "{d}/disk/as.csv"], "1m", 0),
        (base("edit-score", drop=("csv",)) + ["--csv", "{d}/disk/es.csv"], "1m", 0),
        (base("inversion-bench", drop=("csv", "figures")) + ["--csv", "{d}/disk/ib.csv", "--figures", "{d}/disk"], "1m", 0),
        (base("edit-bench", drop=("csv", "figure")) + ["--csv", "{d}/disk/eb.csv", "--figure", "{d}/disk/eb.png"], "1m", 0),
    ]
    for argv, size, free in full:
        words = argv[:1] + (argv[1:2] if argv[0] in ("train", "sweep") else [])
        C.append(Case("6", argv, expect="full", needs="mount", limit=180, message="no space left",
                      name="%s onto a full disk (%s tmpfs, %d bytes free)" % (" ".join(words), size, free),
                      setup=(lambda s, f: lambda ctx: ctx.full_disk("disk", s, f))(size, free)))

    # ---- 7: PNG inputs ----
    pngs = ["truncated", "header-only", "flipped", "bad-zlib", "not-png", "empty", "33x33", "32x64", "1x1", "bomb",
            "checkpoint", "folder", "missing"]
    for name in pngs:
        path = fx + "/png/%s.png" % name
        C.append(Case("7", base("inpaint", drop=("image",)) + ["--image", path]))
        C.append(Case("7", base("inpaint", drop=("mask",)) + ["--mask", path]))
        C.append(Case("7", base("invert", drop=("image",)) + ["--image", path]))
    for name in ("truncated", "bomb", "not-png", "flipped"):
        C.append(Case("7", base("edit") + ["--image", fx + "/png/%s.png" % name]))
        C.append(Case("7", base("invert", drop=("image",)) + ["--image", fx + "/png/%s.png" % name, "--resize"]))
    C.append(Case("7", base("inpaint", drop=("mask",)) + ["--mask", fx + "/png/black-mask.png"]))
    for name in ("grey", "rgba16"):
        C.append(Case("7", base("inpaint", drop=("image",)) + ["--image", fx + "/png/%s.png" % name], expect="ok"))
    C.append(Case("7", base("inpaint", drop=("image",)) + ["--image", fx + "/two.png"], expect="ok"))

    # ---- 8: fid ----
    for name in ("nan", "inf", "minus-inf", "huge", "overflow", "word", "typo-first-row", "ragged", "empty", "header-only",
                 "blank-lines", "one-row", "semicolons", "binary", "utf16", "trailing-comma", "folder", "missing"):
        C.append(Case("8", ["fid", "--a", fx + "/fid/a.csv", "--b", fx + "/fid/%s.csv" % name]))
    C.append(Case("8", ["fid", "--a", fx + "/fid/huge.csv", "--b", fx + "/fid/a.csv"]))
    C.append(Case("8", ["fid", "--a", fx + "/fid/a.csv", "--b", fx + "/fid/five.csv"], name="fid: 4 against 5 columns"))
    C.append(Case("8", ["fid", "--a", fx + "/fid/blank-lines.csv", "--b", fx + "/fid/a.csv"], message=r"line 7\b",
                  name="fid: the bad cell's line number counts blank lines"))

    def fid_value(ctx, res, at_least=0.0, at_most=None):
        try:
            v = float(res.out.split()[0])
        except (ValueError, IndexError):
            return ["printed no distance: " + res.out[:80]]
        problems = [] if v >= at_least else ["a negative distance: %s" % v]
        if at_most is not None and v > at_most:
            problems.append("distance %s, expected at most %s" % (v, at_most))
        return problems

    C.append(Case("8", ["fid", "--a", fx + "/fid/few.csv", "--b", fx + "/fid/few-copy.csv"], expect="ok",
                  name="fid of two identical 3-row sets (singular covariance): 0, not negative, with a note",
                  verify=lambda ctx, res: fid_value(ctx, res, 0.0, 1e-6) + ([] if "singular" in res.err else ["no note on the singular covariance"])))
    C.append(Case("8", ["fid", "--a", fx + "/fid/a.csv", "--b", fx + "/fid/a.csv"], expect="ok",
                  verify=lambda ctx, res: fid_value(ctx, res, 0.0, 1e-6)))
    C.append(Case("8", ["fid", "--a", fx + "/fid/header.csv", "--b", fx + "/fid/b.csv"], expect="ok", verify=fid_value))
    C.append(Case("8", ["fid", "--a", fx + "/fid/a.csv"]))
    C.append(Case("8", ["fid", "--a", fx + "/fid/a.csv", "--b"]))

    # ---- 9: sizes that cannot work ----
    huge = [
        ["schedule", "--steps", "2147483647", "--out", "{d}/s.csv"], ["schedule", "--steps", "100001", "--out", "{d}/s.csv"],
        with_option("train", "batch", "100000000"), with_option("train", "pool", "2000000000"), with_option("train", "pool", "0"),
        with_option("train", "workers", "1000000"),
        with_option("sweep guidance", "n", "2000000000"), with_option("sweep injection", "pairs", "2000000000"),
        with_option("eval", "pairs", "2000000000"), with_option("eval", "n", "2000000000"),
        with_option("dataset", "count", "2000000000"), with_option("sample", "n", "1000000"), with_option("inpaint", "n", "100000"),
        with_option("render", "scale", "2147483647"), with_option("attention-score", "n", "2000000000"),
        with_option("edit-score", "pairs", "2000000000"), with_option("inversion-bench", "n", "2000000000"),
        with_option("edit-bench", "n", "2000000000"), with_option("compare", "pool", "2000000000"),
        with_option("compare", "batch", "100000000"), with_option("compare", "evals", "2000000000"),
        with_option("compare", "budget-minutes", "1e300"), with_option("compare", "steps", "4294967400"),
        with_option("compare", "workers", "100000"), with_option("flops", "latent", "2147483647x2147483647x4"),
        base("flops") + ["--latent", "65536x65536x4"], with_option("inversion-bench", "steps", "1000000"),
        with_option("sample", "steps", "1000000"), with_option("invert", "steps", "1000000"),
    ]
    for argv in huge:
        C.append(Case("9", argv))

    # ---- 10: non-finite numbers ----
    nonfinite = [("train", "lr", v) for v in ("Infinity", "NaN", "-Infinity", "1e400", "0", "-0.001", "2")]
    nonfinite += [("sample", "eta", v) for v in ("NaN", "Infinity", "1e308", "-0.1", "1.0001")]
    nonfinite += [("sample", "guidance", v) for v in ("NaN", "Infinity", "-Infinity", "1e400")]
    nonfinite += [("edit", "cross", "NaN"), ("edit", "self", "Infinity"), ("edit", "reweight", "red=NaN"),
                  ("edit", "reweight", "red=Infinity"), ("edit", "cross-word", "circle=NaN"), ("edit", "cross-word", "circle=2"),
                  ("edit", "reweight", "red=1e400"), ("attention", "from", "NaN"), ("attention", "to", "Infinity"),
                  ("attention-score", "tau", "NaN"), ("attention-score", "tau", "2"), ("invert", "inversion-guidance", "NaN"),
                  ("compare", "lr", "Infinity"), ("compare", "budget-minutes", "NaN"), ("compare", "budget-minutes", "0"),
                  ("compare", "budget-minutes", "-5"), ("eval", "guidance", "NaN"), ("inpaint", "guidance", "Infinity"),
                  ("sweep injection", "guidance", "NaN"), ("edit-bench", "guidance", "-Infinity")]
    for command, option, value in nonfinite:
        C.append(Case("10", with_option(command, option, value)))
    C.append(Case("10", base("attention") + ["--from", "0.9", "--to", "0.1"]))
    C.append(Case("10", base("edit", "--mode", "reweight", "--reweight", "blue=NaN", drop=("target",)) + ["--target", P_BLUE]))

    # ---- 11: train --resume ----
    RES = ["train", "classifier", "--resume", "--batch", "2", "--out", "{d}/run"]
    copy_classifier = lambda ctx: ctx.copy(fx + "/train/classifier.zip", "run/classifier.zip")
    C.append(Case("11", RES + ["--steps", "4"], expect="ok", setup=copy_classifier, name="train classifier --resume to step 4 (same settings)"))
    for extra, msg in ((["--steps", "4", "--seed", "1"], "seed"), (["--steps", "2"], "step 2"), (["--steps", "1"], "step 2"),
                       (["--steps", "4", "--seed", "4294967296"], "seed")):
        C.append(Case("11", RES + extra, setup=copy_classifier, message=msg))
    for extra, what in ((["--steps", "4", "--batch", "4"], "another --batch"), (["--steps", "4", "--lr", "0.0005"], "another --lr"),
                        (["--steps", "4", "--workers", "1"], "another --workers")):
        C.append(Case("11", [w for w in RES if w not in ("--batch", "2")] + extra, expect="ok", setup=copy_classifier,
                      name="train classifier --resume with %s: allowed, with a warning" % what,
                      verify=lambda ctx, res: [] if "warning" in (res.out + res.err) else ["no warning that the run is not bit for bit"]))
    C.append(Case("11", ["train", "ldm", "--resume", "--steps", "4", "--batch", "2", "--pool", "4", "--out", "{d}/run"],
                  setup=lambda ctx: ctx.copy(fx + "/ldm-export.zip", "run/ldm.zip"), message="export",
                  name="train ldm --resume from an exported checkpoint"))
    C.append(Case("11", RES + ["--steps", "4"], name="train --resume with no checkpoint in --out"))
    C.append(Case("11", RES + ["--steps", "4"], setup=lambda ctx: ctx.mkdir("run"), name="train --resume, --out empty"))
    for variant in ("trunc-half", "flip", "nan", "drop-tensor", "shape", "text", "wrong-kind", "bad-meta"):
        C.append(Case("11", RES + ["--steps", "4"], name="train classifier --resume from a checkpoint: " + variant,
                      setup=(lambda v: lambda ctx: ctx.copy(ck("train-classifier", v), "run/classifier.zip"))(variant)))
    C.append(Case("11", ["train", "ldm", "--resume", "--steps", "4", "--batch", "2", "--pool", "4", "--text-mixing", "causal",
                         "--out", "{d}/run"], setup=lambda ctx: ctx.copy(fx + "/train/ldm.zip", "run/ldm.zip"),
                  name="train ldm --resume with another --text-mixing (another model)"))
    C.append(Case("11", ["train", "dit", "--resume", "--steps", "4", "--batch", "2", "--pool", "4", "--out", "{d}/run"],
                  setup=lambda ctx: ctx.copy(fx + "/train/ldm.zip", "run/dit.zip"),
                  name="train dit --resume from a UNet ldm checkpoint"))
    C.append(Case("11", ["train", "ldm", "--resume", "--steps", "4", "--batch", "2", "--pool", "4", "--autoencoder",
                         ck("autoencoder", "nan"), "--out", "{d}/run"],
                  setup=lambda ctx: ctx.copy(fx + "/train/ldm.zip", "run/ldm.zip"), name="train ldm --resume, --autoencoder with NaN weights"))

    # ---- 12: export ----
    EXP = ["export", "--kind", "ldm", "--out", "{d}/e.zip", "--model"]
    for variant in ("drop-tensor", "shape", "nan", "inf", "trunc-half", "trunc-tail", "flip", "text", "empty", "dir", "missing",
                    "garbage-npy", "no-meta", "bad-meta", "wrong-kind", "random"):
        C.append(Case("12", EXP + [ck("train-ldm", variant)], name="export a training checkpoint: " + variant))
    C.append(Case("12", ["export", "--model", fx + "/train/ldm.zip", "--kind", "autoencoder", "--out", "{d}/e.zip"]))
    C.append(Case("12", ["export", "--model", fx + "/train/ldm.zip", "--kind", "banana", "--out", "{d}/e.zip"]))
    C.append(Case("12", ["export", "--model", fx + "/train/classifier.zip", "--kind", "ldm", "--out", "{d}/e.zip"]))

    def t_and_link(ctx):
        ctx.copy(fx + "/train/ldm.zip", "t.zip")
        os.symlink(ctx.d / "t.zip", ctx.d / "link.zip")

    for out, name in (("{d}/link.zip", "--out a symlink to --model"), ("{d}/./sub/../t.zip", "--out the same file spelled otherwise"),
                      ("{d}/h.zip", "--out a hard link to --model")):
        def setup(ctx, out=out):
            t_and_link(ctx)
            ctx.mkdir("sub")
            os.link(ctx.d / "t.zip", ctx.d / "h.zip")
        C.append(Case("12", ["export", "--model", "{d}/t.zip", "--kind", "ldm", "--out", out], setup=setup, name="export " + name))
    C.append(Case("12", ["export", "--model", "{d}/link.zip", "--kind", "ldm", "--out", "{d}/t.zip"], setup=t_and_link,
                  name="export --model a symlink to --out"))
    C.append(Case("12", ["export", "--model", fx + "/train/ldm.zip", "--kind", "ldm", "--out", "{d}/dir"],
                  setup=lambda ctx: ctx.mkdir("dir/keep"), name="export --out an existing folder"))

    def exported_loads(ctx, res):
        p = ctx.d / "e.zip"
        if not p.is_file():
            return ["no export written"]
        with zipfile.ZipFile(p) as z:
            n = z.namelist()
        return [] if "meta.properties" in n and not any(x.startswith("optim/") for x in n) else ["the export keeps training state"]

    C.append(Case("12", ["export", "--model", fx + "/train/ldm.zip", "--kind", "ldm", "--out", "{d}/e.zip"], expect="ok",
                  verify=exported_loads))
    C.append(Case("12", base("sample", drop=("model",)) + ["--model", fx + "/ldm-export.zip"], expect="ok",
                  name="sample from an exported 2-step checkpoint"))

    # ---- 13: every argument checked before work ----
    folder_out = {"sample": "out", "inpaint": "out", "dataset": "out", "attention": "out", "invert": "out", "edit": "out"}
    for command, option in folder_out.items():
        C.append(Case("13", with_option(command, option, "{d}/full"), setup=lambda ctx: ctx.write("full/x.txt", "x"),
                      name="%s --%s an existing non-empty folder" % (command, option)))
        C.append(Case("13", with_option(command, option, "{d}/f"), setup=lambda ctx: ctx.write("f", "x"),
                      name="%s --%s a file" % (command, option)))
        C.append(Case("13", with_option(command, option, "{d}/f/sub"), setup=lambda ctx: ctx.write("f", "x"),
                      name="%s --%s inside a file" % (command, option)))
        C.append(Case("13", with_option(command, option, "{d}/ro/out"), setup=lambda ctx: ctx.readonly("ro"), needs="mount",
                      name="%s --%s in a read-only folder" % (command, option)))
        C.append(Case("13", with_option(command, option, ""), name="%s --%s ''" % (command, option)))
    into_folder = {"tour": "out", "figures": "out", "sweep guidance": "out", "sweep injection": "out", "train": "out",
                   "notebooks": "out", "inversion-bench": "figures", "compare": "figures"}
    for command, option in into_folder.items():
        extra = ["--execute"] if command == "notebooks" else []
        C.append(Case("13", with_option(command, option, "{d}/f") + extra, setup=lambda ctx: ctx.write("f", "x"),
                      name="%s --%s a file" % (command, option)))
        C.append(Case("13", with_option(command, option, "{d}/ro/x") + extra, setup=lambda ctx: ctx.readonly("ro"),
                      needs="mount", name="%s --%s in a read-only folder" % (command, option)))
    file_out = {"schedule": "out", "render": "out", "export": "out", "eval": "csv", "flops": "csv", "attention-score": "csv",
                "edit-score": "csv", "inversion-bench": "csv", "edit-bench": "csv"}
    for command, option in file_out.items():
        name = "x.png" if command == "render" else "x.zip" if command == "export" else "x.csv"
        C.append(Case("13", with_option(command, option, "{d}/f/" + name), setup=lambda ctx: ctx.write("f", "x"),
                      name="%s --%s inside a file" % (command, option)))
        C.append(Case("13", with_option(command, option, "{d}/dir"), setup=lambda ctx: ctx.mkdir("dir/keep"),
                      name="%s --%s an existing folder" % (command, option)))
        C.append(Case("13", with_option(command, option, "{d}/ro/" + name), setup=lambda ctx: ctx.readonly("ro"),
                      needs="mount", name="%s --%s in a read-only folder" % (command, option)))
    for option, value in (("threads", "0"), ("threads", "65"), ("steps", "0"), ("steps", "1001"), ("n", "0"), ("pairs", "-1")):
        C.append(Case("13", with_option("eval", option, value)))
    C.append(Case("13", base("eval") + ["--classifier", "{d}/none.zip"]))
    C.append(Case("13", base("eval") + ["--model", ck("ldm", "trunc-half")]))
    C.append(Case("13", base("sample", "--sampler", "euler")))
    C.append(Case("13", base("sample", "--sampler", "ddpm", "--eta", "0.5")))
    C.append(Case("13", base("sample", drop=("prompt",)) + ["--prompt", "a big red zebra on the left"]))
    C.append(Case("13", base("inpaint", drop=("prompt",)) + ["--prompt", "a big red zebra on the left"]))
    C.append(Case("13", base("attention", "--places", "sideways")))
    C.append(Case("13", base("attention", "--levels", "3")))
    C.append(Case("13", base("attention", "--upsampling", "cubic")))
    C.append(Case("13", base("attention", "--normalise", "z")))
    C.append(Case("13", base("edit", "--mode", "swap")))
    C.append(Case("13", base("edit", "--blend", "zebra")))
    C.append(Case("13", base("edit", drop=("target",)) + ["--target", "a big blue circle on the left side"]))
    C.append(Case("13", base("edit", "--image", fx + "/one.png", "--inverted", "{d}/inv")))
    C.append(Case("13", base("edit", drop=("source",)) + ["--inverted", "{d}/none"]))
    C.append(Case("13", ["edit", "--inverted", "{d}/inv", "--target", P_BLUE, "--out", "{d}/out"],
                  setup=lambda ctx: ctx.write("inv/inversion.txt", "garbage\n")))
    C.append(Case("13", base("invert", drop=("caption",)) + ["--caption", "a big red zebra on the left"]))
    C.append(Case("13", base("flops", drop=("preset",)) + ["--preset", "Z/3"]))
    C.append(Case("13", base("flops") + ["--model", "ldm"]))
    C.append(Case("13", ["flops"]))
    C.append(Case("13", base("flops", "--latent", "33x33x4")))
    C.append(Case("13", base("flops", "--latent", "8x8")))
    C.append(Case("13", ["flops", "--preset", "S/2", "--variant", "sideways"]))
    C.append(Case("13", ["train", "dit", "--steps", "2", "--preset", "XL/2", "--out", "{d}/run"]))
    C.append(Case("13", ["train", "dit", "--steps", "2", "--variant", "sideways", "--out", "{d}/run"]))
    C.append(Case("13", ["train", "ldm", "--steps", "2", "--text-mixing", "partial", "--out", "{d}/run"]))
    C.append(Case("13", ["train", "ldm", "--steps", "2", "--autoencoder", "{d}/none.zip", "--out", "{d}/run"]))
    C.append(Case("13", ["train", "ldm", "--steps", "2", "--batch", "3", "--workers", "2", "--out", "{d}/run"]))
    C.append(Case("13", ["compare", "sideways", "--out", "{d}/c"]))
    C.append(Case("13", ["compare", "conditioning", "--steps", "123", "--out", "{d}/c", "--figures", "{d}/cf"]))
    C.append(Case("13", ["compare", "backbones", "--preset", "Z/3", "--out", "{d}/c", "--figures", "{d}/cf"]))
    C.append(Case("13", ["notebooks", "--only", "no-such-lab", "--out", "{d}/nb"]))
    C.append(Case("13", ["notebooks", "--execute", "--cell-timeout", "0", "--out", "{d}/nb"]))
    C.append(Case("13", ["tour", "--out", "{d}/tour", "--model", ck("ldm", "trunc-half")]))
    C.append(Case("13", ["tour", "--out", "{d}/tour", "--inpaint-model", ck("ldm", "wrong-kind")]))
    C.append(Case("13", ["figures", "--out", "{d}/fig", "--with-sweep", "yes"]))

    # ---- 14: render ----
    def render_twice(ctx):
        first = ctx.run(["render", "--caption", P_TWO, "--out", "{d}/x.png"], limit=SLOW)
        second = ctx.run(["render", "--caption", P, "--out", "{d}/x.png"], limit=SLOW)
        problems = status_problems(first, 0, ctx.case) + status_problems(second, 0, ctx.case)
        if (ctx.d / "x_mask_1.png").exists():
            problems.append("a stale x_mask_1.png of the earlier two-object render was left")
        if not (ctx.d / "x_mask_0.png").exists():
            problems.append("no x_mask_0.png")
        return second, problems

    C.append(Case("14", expect="stop", name="render a two-object caption, then a one-object caption to the same path",
                  runner=render_twice))
    C.append(Case("14", ["render", "--caption", P, "--out", "{d}/x.png"], setup=lambda ctx: ctx.mkdir("x_mask_0.png/keep"),
                  name="render when the mask path is a folder"))
    C.append(Case("14", ["render", "--caption", P_TWO, "--out", "{d}/x.png"], setup=lambda ctx: ctx.mkdir("x_mask_1.png/keep"),
                  name="render when the second mask path is a folder"))
    C.append(Case("14", ["render", "--caption", P_TWO, "--out", "{d}/x.png"],
                  setup=lambda ctx: (ctx.write("x.png", png_bytes(32, 32)), ctx.write("x_mask_0.png", png_bytes(32, 32)),
                                     ctx.mkdir("x_mask_1.png/keep")),
                  name="render over an earlier render when a mask path is a folder: the earlier files are kept"))
    C.append(Case("14", ["render", "--caption", P, "--out", "{d}/x.png"], setup=lambda ctx: ctx.mkdir("x.png/keep"),
                  name="render when --out is a folder"))
    for caption in ("a big purple circle on the left", "", "a big red circle on the left and a cat", "circle",
                    "a big red circle above a big red circle above a small blue square"):
        C.append(Case("14", ["render", "--caption", caption, "--out", "{d}/x.png"]))
    for out in ("{d}/x.jpg", "{d}/x"):
        C.append(Case("14", ["render", "--caption", P, "--out", out]))
    C.append(Case("14", ["render", "--caption", P, "--out", "{d}/new/x.png"], expect="ok", name="render into a new folder"))
    C.append(Case("14", ["render", "--caption", P_TWO, "--out", "{d}/x.png", "--scale", "2"], expect="ok",
                  verify=lambda ctx, res: [] if all((ctx.d / n).is_file() for n in ("x.png", "x_mask_0.png", "x_mask_1.png"))
                  else ["missing files"]))

    # ---- 15: NaN images ----
    for variant in ("nan", "inf", "huge"):  # huge: finite weights (1e38) whose samples overflow, found only by sampling
        slow = dict(expect="finite", limit=SLOW) if variant == "huge" else {}
        for command, option, source in (("sample", "model", "ldm"), ("inpaint", "model", "inpaint"), ("attention", "model", "ldm"),
                                        ("invert", "model", "ldm"), ("edit", "model", "ldm"), ("eval", "model", "ldm"),
                                        ("eval", "classifier", "classifier"), ("tour", "model", "ldm"),
                                        ("tour", "inpaint-model", "inpaint")):
            C.append(Case("15", base(command, "--" + option, ck(source, variant)),
                          name="%s, --%s with %s weights" % (command, option, variant), **slow))
    C.append(Case("15", base("sample", "--eta", "1e308")))
    for command in ("sample", "inpaint", "attention", "invert", "edit"):  # finite, but the samples overflow
        C.append(Case("15", base(command, "--guidance", "1e308"), expect="finite", limit=SLOW))
    C.append(Case("15", base("sample", "--guidance", "1e30"), expect="finite", limit=SLOW))
    C.append(Case("15", base("sample", "--model", ck("dit", "nan")), name="sample, a DiT with nan weights"))
    C.append(Case("15", ["train", "ldm", "--steps", "2", "--batch", "2", "--pool", "4", "--autoencoder", ck("autoencoder", "nan"),
                         "--out", "{d}/run"], name="train ldm in an autoencoder with NaN weights"))
    C.append(Case("15", ["train", "ldm", "--steps", "2", "--batch", "2", "--pool", "4", "--autoencoder", ck("autoencoder", "huge-encoder"),
                         "--out", "{d}/run"], limit=SLOW, work_ok=True, name="train ldm in an autoencoder whose latents overflow"))

    # ---- 16: notebooks ----
    def notebooks_signal(sig):
        def runner(ctx):
            p = ctx.start(["notebooks", "--execute", "--only", "01", "--out", "{d}/nb"], home=ROOT)
            kernel = lambda: len(trial.kit.processes(ctx.case.id)) >= 3 or p.poll() is not None
            ctx.wait_for("Jupyter and its kernel running", kernel, limit=120)
            time.sleep(3)
            log = "".join(f.read_text(errors="replace") for f in (ctx.d / "nb").glob("*.log"))
            if p.poll() is not None and "Kernel died" in log:
                trial.kit.finish(p, 10)
                shutil.rmtree(ctx.d / "nb", ignore_errors=True)
                raise Skip("the 'java' kernelspec does not start here (JUPYTER_DATA_DIR? notebooks/install-kernel)")
            send(p, sig)
            res = trial.kit.finish(p, 60)
            return res, status_problems(res, 128 + sig, like(SLOW))
        return runner

    for sig, sname in ((signal.SIGTERM, "SIGTERM"), (signal.SIGINT, "SIGINT")):
        C.append(Case("16", expect="stop", needs="jupyter", serial=True, runner=notebooks_signal(sig),
                      name="notebooks --execute --only 01, %s while the kernel runs" % sname))
    C.append(Case("16", ["notebooks", "--execute", "--only", "01", "--out", "{d}/f"], setup=lambda ctx: ctx.write("f", "x"),
                  home=ROOT))
    C.append(Case("16", ["notebooks", "--execute", "--only", "01", "--out", "{d}/ro/nb"], setup=lambda ctx: ctx.readonly("ro"),
                  needs="mount", home=ROOT))
    C.append(Case("16", ["notebooks", "--execute", "--only", "01", "--out", "{d}/nb", "--cell-timeout", "-5"], home=ROOT))
    C.append(Case("16", ["notebooks", "--html", "--only", "zz", "--out", "{d}/nb"], home=ROOT))

    # ---- 17: minor ----
    for argv in (["render", "--caption", LONG_CAPTION, "--out", "{d}/x.png"],
                 base("sample", drop=("prompt",)) + ["--prompt", LONG_CAPTION],
                 base("attention", drop=("prompt",)) + ["--prompt", LONG_CAPTION],
                 base("inpaint", drop=("prompt",)) + ["--prompt", LONG_CAPTION],
                 base("invert", drop=("caption",)) + ["--caption", LONG_CAPTION],
                 base("edit", drop=("target",)) + ["--target", LONG_CAPTION],
                 base("edit", "--blend", " ".join(["zebra"] * 2100)),
                 base("sample", "--model", "x" * 5000),
                 ["notebooks", "--only", "x" * 5000, "--out", "{d}/nb"],
                 ["fid", "--a", "{d}/" + "a" * 4000, "--b", fx + "/fid/b.csv"]):
        C.append(Case("17", argv))
    for command in ("info", "schedule", "sample", "fid", "export", "render", "eval", "tour", "figures", "dataset"):
        C.append(Case("17", base(command)[:1] + ["extra"] + base(command)[1:]))
    C.append(Case("17", ["train", "ldm", "extra", "--steps", "2", "--out", "{d}/run"]))
    C.append(Case("17", base("sweep guidance")[:2] + ["extra"] + base("sweep guidance")[2:]))
    C.append(Case("17", with_option("eval", "n", "0")))
    C.append(Case("17", base("sweep guidance", drop=("out",)) + ["--out", "{d}/new/sw", "--classifier", ck("classifier", "trunc-half")],
                  name="sweep failing on its --classifier leaves no new --out folder"))
    C.append(Case("17", base("sweep injection", drop=("out",)) + ["--out", "{d}/new/inj", "--model", ck("ldm", "nan")],
                  name="sweep injection failing on its --model leaves no new --out folder"))
    C.append(Case("17", ["train", "classifier", "--steps", "2", "--batch", "2", "--out", "{d}/new/run", "--lr", "NaN"]))
    C.append(Case("17", base("eval", "--n", "1"), expect="ok", limit=240,
                  name="eval --pairs 0: the two-object group says it has no samples",
                  verify=lambda ctx, res: [] if "no samples" in res.out else ["did not say the empty group has no samples"]))

    # ---- G: generic sweep ----
    for command, specs in NUMERIC.items():
        for option, kind, low, high in specs:
            for value in bad_values(kind, low, high):
                C.append(Case("G", with_option(command, option, value)))
    for command in BASE:
        C.append(Case("G", base(command, "--bogus", "1")))
        C.append(Case("G", base(command, "--bogus")))
        C.append(Case("G", base(command, "-x")))
        for option in REQUIRED.get(command, []):
            C.append(Case("G", base(command, drop=(option,)), name="%s without --%s" % (command, option)))
            C.append(Case("G", base(command, drop=(option,)) + ["--" + option],
                          name="%s with --%s and no value" % (command, option)))
        for option in PATH_OPTIONS.get(command, []):
            C.append(Case("G", base(command, drop=(option,)) + ["--" + option],
                          name="%s with --%s and no value" % (command, option)))
        twice_option = next((w[2:] for w in BASE[command] if w.startswith("--")), None)
        if twice_option:
            C.append(Case("G", base(command) + ["--" + twice_option, "x"], name="%s with --%s twice" % (command, twice_option)))
        C.append(Case("G", base(command, "--help"), expect="ok", name="%s --help" % command, verify=lambda ctx, res: []
                      if res.out.startswith("ldmlab") else ["no usage printed"]))
    C.append(Case("G", ["nonsense"]))
    C.append(Case("G", ["help", "nonsense"]))
    C.append(Case("G", ["train"]))
    C.append(Case("G", ["train", "banana", "--steps", "2", "--out", "{d}/run"]))
    C.append(Case("G", ["train", "ldm", "dit", "--steps", "2", "--out", "{d}/run"]))
    C.append(Case("G", ["train", "ldm", "--out", "{d}/run"]))
    C.append(Case("G", ["sweep"]))
    C.append(Case("G", ["sweep", "nonsense"]))
    C.append(Case("G", ["compare"]))
    C.append(Case("G", ["export", "--model", fx + "/train/ldm.zip", "--kind", "--out", "{d}/e.zip"]))
    C.append(Case("G", base("schedule", "--kind", "quadratic")))
    C.append(Case("G", base("dataset", "--split", "")))
    # corrupt checkpoints for every command that takes one (export: group 12; NaN weights: group 15)
    variants = ["missing", "dir", "empty", "text", "random", "trunc-half", "trunc-tail", "flip", "drop-tensor", "shape",
                "garbage-npy", "no-meta", "bad-meta", "wrong-kind"]
    takers = [("sample", "model", "ldm", variants), ("inpaint", "model", "inpaint", variants),
              ("eval", "classifier", "classifier", variants),
              ("attention", "model", "ldm", ["trunc-half", "flip", "drop-tensor", "wrong-kind"]),
              ("edit", "model", "ldm", ["trunc-half", "shape", "wrong-kind"]),
              ("invert", "model", "ldm", ["trunc-half", "drop-tensor", "wrong-kind"]),
              ("sweep guidance", "model", "ldm", ["trunc-half", "wrong-kind"]),
              ("sweep guidance", "classifier", "classifier", ["flip", "wrong-kind"]),
              ("tour", "model", "ldm", ["drop-tensor", "wrong-kind"]), ("tour", "inpaint-model", "inpaint", ["shape"]),
              ("flops", "model", "ldm", ["trunc-half", "wrong-kind", "missing"]),
              ("train", "autoencoder", "autoencoder", ["trunc-half", "drop-tensor", "wrong-kind"]),
              ("edit-score", "classifier", "classifier", ["shape"]), ("attention-score", "model", "ldm", ["flip"]),
              ("inversion-bench", "model", "ldm", ["trunc-tail"]), ("edit-bench", "inpaint-model", "inpaint", ["wrong-kind"])]
    for command, option, source, vs in takers:
        for v in vs:
            C.append(Case("G", base(command, drop=(option,) + (("preset",) if command == "flops" else ()))
                          + ["--" + option, ck(source, v)], name="%s --%s %s checkpoint: %s" % (command, option, source, v)))
    # controls: correct runs exit 0 with finite results
    for argv in (base("info"), base("schedule"), base("schedule", "--kind", "cosine", "--steps", "2"), base("dataset"),
                 base("render"), base("sample"), base("inpaint"), base("flops"), base("fid"), base("export"),
                 ["notebooks", "--out", "{d}/nb"], base("attention"), base("invert")):
        C.append(Case("G", argv, expect="ok", name="control: " + " ".join(shown(a) for a in argv)))

    # the same command line twice is one case
    seen, unique = set(), []
    for c in C:
        key = (tuple(c.argv) if c.argv else None, c.name)
        if c.argv and key in seen:
            continue
        seen.add(key)
        unique.append(c)
    for i, c in enumerate(unique):
        c.id = "c%03d" % (i + 1)
    return unique


def twice_resume(ctx, trial):
    first = ctx.run(["train", "classifier", "--steps", "2", "--batch", "2", "--seed", "4294967297", "--out", "{d}/run"], limit=SLOW)
    problems = ["first run: " + p for p in status_problems(first, 0, like(SLOW))]
    second = ctx.run(["train", "classifier", "--resume", "--steps", "3", "--batch", "2", "--seed", "4294967297", "--out", "{d}/run"],
                     limit=SLOW)
    problems += ["resume: " + p for p in status_problems(second, 0, like(SLOW))]
    return second, problems


# ---- main --------------------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="run only one group (1..17, G), or the cases whose name contains this")
    parser.add_argument("--jobs", type=int, default=2, help="cases run side by side (default 2)")
    parser.add_argument("--list", action="store_true", help="print the cases and exit")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--verbose", action="store_true", help="a line per case")
    args = parser.parse_args()
    wall = time.monotonic()

    build = subprocess.run([str(ROOT / "ldmlab"), "info"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if build.returncode != 0 or not JAR.is_file():
        sys.exit("bad-input-trial: `./ldmlab info` failed (the build?):\n" + build.stderr[-2000:])
    trial = Trial(args)
    guard = snapshot(ROOT / "figures")
    try:
        trial.build_fixtures()
        cases = case_table(trial)
        if args.only:
            groups = {key for key, _ in GROUPS}
            cases = [c for c in cases if (c.group == args.only if args.only in groups else args.only in c.name)]
        if args.list:
            for c in cases:
                print("%s %-3s %-5s %s" % (c.id, c.group, c.expect, c.name))
            print("%d cases" % len(cases))
            return 0
        if not trial.mounts.able:
            print("note: mounting a tmpfs is not permitted here: the full-disk and read-only cases are skipped")
        if not trial.jupyter:
            print("note: Jupyter or the java kernel is missing: the notebooks --execute signal cases are skipped")
        print("running %d cases (%d side by side; signal, full-disk and timing cases alone)..." % (len(cases), args.jobs), flush=True)
        results = []
        done = [0]
        lock = threading.Lock()

        def record(r):
            with lock:
                results.append(r)
                done[0] += 1
                case, verdict, problems, res, secs = r
                if verdict == "fail" or args.verbose:
                    print("[%d/%d] %s  %s %s  (%.1f s)%s" % (done[0], len(cases), verdict.upper(), case.group, case.name[:110], secs,
                                                              "".join("\n      - " + p for p in problems) if verdict != "pass" else ""),
                          flush=True)
                elif done[0] % 25 == 0:
                    print("[%d/%d] ..." % (done[0], len(cases)), flush=True)

        parallel = [c for c in cases if not c.serial]
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for r in pool.map(trial.run_case, parallel):
                record(r)
        for c in [c for c in cases if c.serial]:
            record(trial.run_case(c))
        if snapshot(ROOT / "figures") != guard:
            results.append((Case("G", ["(the checkout)"], name="the trial left the checkout's figures/ as they were"), "fail",
                            ["figures/ in the checkout changed during the trial"], None, 0))
        return report(results, time.monotonic() - wall)
    finally:
        trial.mounts.umount_all()
        if args.keep:
            print("kept " + str(trial.tmp))
        else:
            shutil.rmtree(trial.tmp, ignore_errors=True)


def report(results, wall):
    order = {key: i for i, (key, _) in enumerate(GROUPS)}
    results.sort(key=lambda r: (order[r[0].group], r[0].id))
    print()
    print("%-4s %-66s %6s %6s %6s %6s" % ("", "defect class (issue 12)", "cases", "passed", "failed", "skipped"))
    totals = [0, 0, 0, 0]
    for key, title in GROUPS:
        mine = [r for r in results if r[0].group == key]
        if not mine:
            continue
        counts = [len(mine)] + [sum(1 for r in mine if r[1] == v) for v in ("pass", "fail", "skip")]
        totals = [a + b for a, b in zip(totals, counts)]
        print("%-4s %-66s %6d %6d %6d %6d" % (key, title[:66], *counts))
    print("%-4s %-66s %6d %6d %6d %6d" % ("", "total", *totals))
    failures = [r for r in results if r[1] == "fail"]
    skips = [r for r in results if r[1] == "skip"]
    if skips:
        print("\nskipped: " + "; ".join(sorted(set(r[2][0] for r in skips))))
    if failures:
        print("\nfailures:")
        for case, _, problems, res, _ in failures:
            print("- [%s] %s" % (case.group, case.name))
            if case.argv:
                print("    command: ldmlab " + " ".join(shown(a) for a in case.argv))
            print("    expected: " + {"bad": "status 2 within %.0f s, one reason line, nothing written" % case.limit,
                                      "full": "status 2, 'no space left', nothing partial left",
                                      "ok": "status 0 with a finite result",
                                      "finite": "status 2 with one reason line and nothing written, or 0 with finite results",
                                      "stop": "see the problems"}[case.expect])
            for p in problems:
                print("    - " + p)
            if res is not None:
                print("    got: " + res.describe())
    print("\nwall time: %.0f s" % wall)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
