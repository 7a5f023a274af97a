"""Compares the Python reader with Java's predictions, and checks that damaged files are refused.

Run by kernels4j-cli's PythonReaderTest (with Debian's /usr/bin/python3 and python3-numpy)::

    python3 check_against_java.py MANIFEST

Each MANIFEST line is ``case|model.zip|method|input.npy|expected`` where ``expected`` is a .npy file of
Java's output for ``method`` (predict, predict_variance, predict_proba, decision_function,
score_samples, transform, inverse_transform, labels) or a text file of class names, one a line (method
``names``), or, for method ``refuse``, the text the
UnsupportedError must contain, or, for method ``spec_error`` (``case`` is then a kernel spec), the
column at which Java's parser refuses the spec, or, for method ``tamper``, nothing (the model file is damaged in
several ways here, and every copy must be refused with its own message). Numbers must agree to
1e-10 relative to the largest magnitude of Java's output column; labels exactly. Prints one line
per check and exits 1 when any fails.
"""

import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import numpy as np  # noqa: E402

import kernels4j  # noqa: E402

TOLERANCE = 1e-10


def relative_error(got, want):
    got = np.asarray(got, dtype=float).reshape(want.shape[0], -1)
    want = want.reshape(want.shape[0], -1)
    if got.shape != want.shape:
        return float("inf"), "shape %s, expected %s" % (got.shape, want.shape)
    worst = 0.0
    for j in range(want.shape[1]):
        w, g = want[:, j], got[:, j]
        both_inf = np.isinf(w) & (w == g)
        scale = np.max(np.abs(w[np.isfinite(w)])) if np.any(np.isfinite(w)) else 1.0
        diff = np.abs(np.where(both_inf, 0.0, g - np.where(both_inf, 0.0, w)))
        worst = max(worst, float(np.max(diff)) / max(scale, 1e-300) if diff.size else 0.0)
    return worst, ""


def check(case, path, method, inputs, expected):
    if method == "spec_error":
        try:
            kernels4j.parse_kernel(case)
            return False, "parsed, but Java refuses it at column %s" % expected
        except kernels4j.KernelSpecError as e:
            return e.column == int(expected), "%s (Java: column %s)" % (e, expected)
    try:
        model = kernels4j.load(path)
        if method == "refuse":
            return False, "loaded, but should have been refused with '%s'" % expected
        x = np.load(inputs)
        if method == "names":
            with open(expected, encoding="utf-8") as f:
                want = [line.rstrip("\n") for line in f]
            got = [str(v) for v in model.predict(x)]
            wrong = sum(a != b for a, b in zip(got, want)) + abs(len(got) - len(want))
            return wrong == 0, "%d of %d class names differ" % (wrong, len(want))
        want = np.load(expected)
        if method == "labels":
            got = np.asarray(model.predict(x), dtype=float).reshape(-1)
            wrong = int(np.sum(got != want.reshape(-1)))
            return wrong == 0, "%d of %d labels differ" % (wrong, got.size)
        got = getattr(model, method)(x)
        err, why = relative_error(got, want)
        return err <= TOLERANCE, "max relative error %.2e %s" % (err, why)
    except kernels4j.UnsupportedError as e:
        if method == "refuse" and expected in str(e):
            return True, "refused: %s" % e
        return False, "%s: %s" % (type(e).__name__, e)


def rewrite(src, dst, change):
    """Copies a model archive entry by entry through ``change(entries)`` (a dict name -> bytes)."""
    with zipfile.ZipFile(src) as z:
        entries = {i.filename: z.read(i) for i in z.infolist()}
    entries = change(entries)
    with zipfile.ZipFile(dst, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)


def with_checksums(entries):
    sums = "".join("%s  %s\n" % (hashlib.sha256(v).hexdigest(), k) for k, v in entries.items()
                   if k != "checksums.sha256")
    entries["checksums.sha256"] = sums.encode()
    return entries


def tamper(path, tmp):
    """Damaged copies of ``path`` and the words each refusal must contain."""
    with zipfile.ZipFile(path) as z:
        names = [i.filename for i in z.infolist()]
    npy = next(n for n in names if n.endswith(".npy"))

    def flip(e):
        data = bytearray(e[npy])
        data[-3] ^= 0x01
        e[npy] = bytes(data)
        return e

    def version(e):
        root = json.loads(e["model.json"])
        root["version"] = kernels4j.FORMAT_VERSION + 1
        e["model.json"] = json.dumps(root).encode()
        return with_checksums(e)

    def truncate_array(e):
        e[npy] = e[npy][:-8]
        return with_checksums(e)

    def negative_jitter(e):
        root = json.loads(e["model.json"])
        root["jitter"] = -1.0
        e["model.json"] = json.dumps(root).encode()
        return with_checksums(e)

    def zero_pivot(e):
        # a consistent edit (checksums recomputed) that Java's loader refuses: a zero on the factor's diagonal
        lower = np.load(io.BytesIO(e["cholesky.npy"]))
        lower[min(4, lower.shape[0] - 1), min(4, lower.shape[0] - 1)] = 0.0
        buf = io.BytesIO()
        np.save(buf, lower)
        e["cholesky.npy"] = buf.getvalue()
        return with_checksums(e)

    cases = {
        "altered": (flip, "checksum mismatch for '%s'" % npy),
        "unlisted": (lambda e: dict(e, **{"extra.npy": e[npy]}), "entry 'extra.npy' is not listed"),
        "missing": (lambda e: {k: v for k, v in e.items() if k != npy}, "missing entry '%s'" % npy),
        "no checksums": (lambda e: {k: v for k, v in e.items() if k != "checksums.sha256"}, "missing checksums.sha256"),
        "newer version": (version, "format version %d is not supported" % (kernels4j.FORMAT_VERSION + 1)),
        "short array": (truncate_array, ".npy data is truncated"),
    }
    def gpc_format(e):
        root = json.loads(e["model.json"])
        root["gpc_format"] = -2
        e["model.json"] = json.dumps(root).encode()
        return with_checksums(e)

    with zipfile.ZipFile(path) as z:
        kind = json.loads(z.read("model.json")).get("kind")
    if kind == "gpc":
        cases["negative gpc_format"] = (gpc_format, "field 'gpc_format' must be a whole number >= 1")
    if "cholesky.npy" in names:  # a gp file: fields and arrays Java checks beyond the archive's integrity
        cases["negative jitter"] = (negative_jitter, "field 'jitter' must be a non-negative finite number")
        cases["zero pivot"] = (zero_pivot, "array 'cholesky' is not a Cholesky factor")
    out = []
    for label, (change, words) in cases.items():
        dst = os.path.join(tmp, label.replace(" ", "_") + ".zip")
        rewrite(path, dst, change)
        out.append((label, dst, words))
    size = os.path.getsize(path)
    cut = os.path.join(tmp, "truncated.zip")
    with open(path, "rb") as f, open(cut, "wb") as g:
        g.write(f.read(size // 2))
    out.append(("truncated file", cut, "truncated or not a zip archive"))
    out.append(("no file", os.path.join(tmp, "absent.zip"), "no such model file"))
    return out


def main(manifest):
    failures = 0
    checks = 0
    tmp = tempfile.mkdtemp()
    try:
        with open(manifest) as f:
            lines = [line.rstrip("\n") for line in f if line.strip()]
        for line in lines:
            case, path, method, inputs, expected = line.split("|")
            if method == "tamper":
                for label, bad_path, words in tamper(path, tmp):
                    checks += 1
                    try:
                        kernels4j.load(bad_path)
                        ok, why = False, "loaded a damaged file"
                    except kernels4j.ModelFileError as e:
                        ok, why = words in str(e), str(e)
                    failures += not ok
                    print("%s %s tamper %s: %s" % ("ok" if ok else "FAIL", case, label, why))
                continue
            checks += 1
            ok, why = check(case, path, method, inputs, expected)
            failures += not ok
            print("%s %s %s: %s" % ("ok" if ok else "FAIL", case, method, why))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d checks, %d failed (numpy %s)" % (checks, failures, np.__version__))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
