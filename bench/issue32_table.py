#!/usr/bin/env python3
"""The table of bench/issue32.sh: one markdown table, with the machine in its header, from the RESULT lines the part
scripts wrote (key=value, one line per row) and the run's meta file (key TAB value).

  issue32_table.py META RESULTS OUT_DIR   -> markdown on stdout

Every met / MISSED cell is computed here from the figures against issue 32's targets (the constants below); a
figure that is missing or unreadable counts as missed, never as met.
"""
import sys

SVM_SPEED = 2.0          # svm-train / kernels4j end-to-end wall, at n >= SVM_MIN_N
SVM_ONE_THREAD = 1.0     # svm-train / kernels4j on one thread: at least LIBSVM's speed
SVM_ACCURACY = 0.2       # test accuracy within this many points of svm-train's
SVM_OBJECTIVE = 1e-3     # dual objective within this relative difference of svm-train's
SVM_MIN_N = 20000
NYSTROM_SPEED = 3.0      # scikit-learn Nystroem + Ridge fit time / kernels4j's
NYSTROM_RMSE_SLACK = 1e-3  # "equal or better RMSE": kernels4j's test RMSE <= scikit-learn's * (1 + this)
GRAM_OVER_DGEMM = 1.5    # Gram / dgemm wall time, under every OpenBLAS core setting
GRAM_SKLEARN = 3.0       # scikit-learn rbf_kernel time / kernels4j's
KRR_TIME = 0.4           # kernels4j mixed-precision KRR time / scikit-learn KernelRidge's
KRR_RMSE = 1e-6          # relative difference of the test RMSEs
READ_SPEED = 1.0         # kernels4j MB/s over the peer's
READ_SAME = 1e-12        # largest difference between the two matrices
BUNDLED = ("digits", "breast_cancer", "heart_scale")
GRAM_CASES = {"sym_d64": "RBF Gram {n} × 64", "sym_d8": "RBF Gram {n} × 8",
              "cross_d64": "RBF cross Gram K(X, Z) {n} × {m}, d = 64"}
GRAM_SETTINGS = ("own", "SkylakeX", "Haswell")


def num(v):
    """The float in v, or None (missing, '-', '?', not a number)."""
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if x == x else None


def ratio(a, b):
    a, b = num(a), num(b)
    return a / b if a is not None and b not in (None, 0.0) else None


def fmt(x):
    """A ratio: two decimals, or two significant digits below 0.1 (a quick run's tiny times)."""
    if x is None:
        return "?"
    return f"{x:.2f}" if abs(x) >= 0.1 or x == 0 else f"{x:.2g}"


def sci(x):
    """1e-3, not 1e-03."""
    return f"{x:.0e}".replace("e-0", "e-").replace("e+0", "e")


def secs(v):
    """A time in seconds as printed by a part, at most three decimals."""
    x = num(v)
    return "?" if x is None else f"{x:.3f}".rstrip("0").rstrip(".") if x < 1000 else f"{x:.0f}"


def thousands(v):
    x = num(v)
    return f"{int(x):,}" if x is not None else str(v)


def verdict(checks):
    """checks: (name, ok or None). 'met' when every check holds; otherwise MISSED naming the failed ones."""
    failed = [name + ("" if ok is False else ": no figure") for name, ok in checks if not ok]
    return "met" if not failed else "**MISSED** (" + ", ".join(failed) + ")"


def le(x, limit):
    return None if x is None else x <= limit


def ge(x, limit):
    return None if x is None else x >= limit


def main():
    meta_path, results_path, out_dir = sys.argv[1:4]
    meta = {}
    for line in open(meta_path, encoding="utf-8"):
        key, _, value = line.rstrip("\n").partition("\t")
        meta[key] = value
    results = []
    for line in open(results_path, encoding="utf-8"):
        if line.startswith("RESULT "):
            results.append(dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv))
    quick = bool(meta.get("quick"))
    qnote = "quick run: sizes below the issue's; " if quick else ""
    svm_n = num(meta.get("svm_n")) or SVM_MIN_N
    rows = []  # (benchmark, kernels4j, reference, ratio, target, met)

    def of(part):
        return [r for r in results if r.get("part") == part]

    # SVM: one row per problem; then one row per problem for the one-thread run where it was made
    svm = of("svm")
    threshold = min(SVM_MIN_N, svm_n)
    for r in svm:
        n = num(r.get("n"))
        name = f"SVM `{r.get('name')}`, n = {thousands(r.get('n'))}, d = {r.get('d')}, {r.get('classes')} classes, " \
               f"{r.get('sv_pct')} % SV"
        k = f"{r.get('k4j_wall')} s wall, {r.get('k4j_cpu')} s CPU; accuracy {r.get('acc_k4j')} %; " \
            f"objective diff {r.get('obj_diff')}"
        ref = f"`svm-train` {r.get('lib_wall')} s wall, {r.get('lib_cpu')} s CPU, accuracy {r.get('acc_lib')} %; " \
              f"scikit-learn `SVC` {r.get('skl_wall')} s wall, accuracy {r.get('acc_skl')} %"
        rw, rc = ratio(r.get("lib_wall"), r.get("k4j_wall")), ratio(r.get("lib_cpu"), r.get("k4j_cpu"))
        rat = f"{fmt(rw)} wall ({fmt(rc)} CPU)"
        if n is None or n < threshold or r.get("name") in BUNDLED:
            rows.append((name, k, ref, rat, "n < 20,000: no target", "n/a"))
            continue
        acc_k, acc_l = num(r.get("acc_k4j")), num(r.get("acc_lib"))
        acc_ok = None if acc_k is None or acc_l is None else abs(acc_k - acc_l) <= SVM_ACCURACY + 1e-9
        pairs_l, pairs_k = num(r.get("obj_pairs_lib")), num(r.get("obj_pairs_k4j"))
        obj = num(r.get("obj_diff"))
        obj_ok = None if obj is None or not pairs_l or pairs_l != pairs_k else obj <= SVM_OBJECTIVE
        target = f"{qnote}`svm-train` / kernels4j ≥ {SVM_SPEED:g} wall; accuracy within ±{SVM_ACCURACY:g} points; " \
                 f"objective within {sci(SVM_OBJECTIVE)} relative"
        rows.append((name, k, ref, rat, target,
                     verdict([("speed", ge(rw, SVM_SPEED)), ("accuracy", acc_ok), ("objective", obj_ok)])))
    for r in svm:
        if r.get("k4j1_wall") in (None, "", "-"):
            continue
        n = num(r.get("n"))
        name = f"SVM `{r.get('name')}`, n = {thousands(r.get('n'))}, one kernels4j thread"
        k = f"{r.get('k4j1_wall')} s wall, {r.get('k4j1_cpu')} s CPU"
        ref = f"`svm-train` (one thread) {r.get('lib_wall')} s wall, {r.get('lib_cpu')} s CPU"
        rw = ratio(r.get("lib_wall"), r.get("k4j1_wall"))
        rat = f"{fmt(rw)} wall ({fmt(ratio(r.get('lib_cpu'), r.get('k4j1_cpu')))} CPU)"
        if n is None or n < threshold or r.get("name") in BUNDLED:
            rows.append((name, k, ref, rat, "n < 20,000: no target", "n/a"))
        else:
            rows.append((name, k, ref, rat, f"{qnote}`svm-train` / kernels4j ≥ {SVM_ONE_THREAD:g} wall (at least "
                         "LIBSVM's speed on one thread)", verdict([("speed", ge(rw, SVM_ONE_THREAD))])))

    # Nystrom: one row per m (the default solver, auto)
    sk_ny = {r.get("m"): r for r in of("nystrom_sklearn")}
    for r in of("nystrom"):
        if r.get("solver") != "auto":
            continue
        s = sk_ny.get(r.get("m"), {})
        name = f"Nyström KRR, n = {thousands(r.get('n'))}, m = {thousands(r.get('m'))}"
        k = f"{r.get('fit')} s fit ({r.get('used')}, {r.get('iters')} iterations), RMSE {r.get('rmse')}"
        ref = f"scikit-learn `Nystroem` + `Ridge` {s.get('fit', '?')} s, RMSE {s.get('rmse', '?')}"
        rt = ratio(s.get("fit"), r.get("fit"))
        rk, rs = num(r.get("rmse")), num(s.get("rmse"))
        rmse_ok = None if rk is None or rs is None else rk <= rs * (1 + NYSTROM_RMSE_SLACK)
        rows.append((name, k, ref, fmt(rt), f"{qnote}scikit-learn / kernels4j ≥ {NYSTROM_SPEED:g}; RMSE ≤ scikit-learn's "
                     f"(+{NYSTROM_RMSE_SLACK * 100:g} %)", verdict([("speed", ge(rt, NYSTROM_SPEED)), ("RMSE", rmse_ok)])))

    # Gram vs dgemm: one row per case and OpenBLAS core setting; then scikit-learn's rbf_kernel per case
    gram = of("gram")
    gram_ran = "part_gram" in meta
    cases = [c for c in GRAM_CASES if any(r.get("case") == c for r in gram)] or (list(GRAM_CASES) if gram_ran else [])
    for c in cases:
        for setting in GRAM_SETTINGS:
            r = next((x for x in gram if x.get("case") == c and x.get("core") == setting), None)
            n = num((r or {}).get("n")) or num(meta.get("gram_n"))
            label = GRAM_CASES[c].format(n=thousands(n), m=thousands(n / 2 if n else None))
            env = "OPENBLAS_CORETYPE unset" if setting == "own" else f"OPENBLAS_CORETYPE={setting}"
            target = f"{qnote}Gram / dgemm ≤ {GRAM_OVER_DGEMM:g} (wall)"
            if r is None:
                why = "not run (bench/gram-peer.sh forces SkylakeX only on a CPU with AVX-512)" \
                    if setting == "SkylakeX" else "not run"
                rows.append((f"{label}, {env}", why, "dgemm", "–", target, "**NOT RUN**"))
                continue
            rg = num(r.get("ratio"))
            rows.append((f"{label}, {env} (core in use: {r.get('picked')})", f"Gram {r.get('gram')} s",
                         f"dgemm of the same shapes {r.get('dgemm')} s",
                         f"{r.get('ratio')} wall ({r.get('cpu_ratio')} CPU)", target,
                         verdict([("speed", le(rg, GRAM_OVER_DGEMM))])))
    for r in of("gram_sklearn"):
        c = r.get("case")
        n = num(r.get("n"))
        label = GRAM_CASES.get(c, c).format(n=thousands(n), m=thousands(n / 2 if n else None))
        rt = ratio(r.get("sklearn"), r.get("k4j"))
        rows.append((f"{label} vs scikit-learn", f"{r.get('k4j')} s (OpenBLAS's own core)",
                     f"scikit-learn `rbf_kernel` {r.get('sklearn')} s", fmt(rt),
                     f"{qnote}scikit-learn / kernels4j ≥ {GRAM_SKLEARN:g}", verdict([("speed", ge(rt, GRAM_SKLEARN))])))

    # exact KRR, mixed precision
    for r in of("krr"):
        rt = ratio(r.get("mixed_seconds"), r.get("sklearn_seconds"))
        rel = num(r.get("rmse_rel_diff"))
        rows.append((f"exact KRR, n = {thousands(r.get('n'))}, d = 8, mixed precision, fit + predict",
                     f"mixed {secs(r.get('mixed_seconds'))} s (float64 {secs(r.get('double_seconds'))} s), RMSE "
                     f"{r.get('kernels4j_rmse')}",
                     f"scikit-learn `KernelRidge` {r.get('sklearn_seconds')} s, RMSE {r.get('sklearn_rmse')}",
                     f"{fmt(rt)} (RMSEs differ by {r.get('rmse_rel_diff')} relative)",
                     f"{qnote}kernels4j / scikit-learn ≤ {KRR_TIME:g}; RMSE equal to {sci(KRR_RMSE)} relative",
                     verdict([("speed", le(rt, KRR_TIME)), ("RMSE", le(rel, KRR_RMSE))])))

    # reading
    for r in of("read"):
        cols = num(r.get("cols"))
        csv = r.get("format") == "csv"
        what = (f"reading a {thousands(r.get('rows'))} × {int(cols) + 1 if cols else '?'} CSV, {r.get('mb')} MB"
                if csv else f"reading the same rows as LibSVM, {r.get('mb')} MB")
        peer = "NumPy `loadtxt`" if csv else "scikit-learn `load_svmlight_file`"
        sp = num(r.get("speedup"))
        rows.append((what, f"{r.get('seconds')} s, {r.get('mbps')} MB/s",
                     f"{peer} {r.get('peer_seconds')} s, {r.get('peer_mbps')} MB/s",
                     f"{fmt(sp)} (matrices differ by {r.get('max_diff')})",
                     f"{qnote}kernels4j MB/s / the peer's ≥ {READ_SPEED:g}; the same matrix",
                     verdict([("speed", ge(sp, READ_SPEED)), ("matrix", le(num(r.get("max_diff")), READ_SAME))])))

    # parts that failed or wrote no rows
    produced = {"svm": svm, "nystrom": of("nystrom"), "gram": gram, "krr": of("krr"), "read": of("read")}
    durations = []
    for part in ("svm", "nystrom", "gram", "krr", "read"):
        if f"part_{part}" not in meta:
            continue
        rc, took = (meta[f"part_{part}"].split() + ["?", "?"])[:2]
        durations.append(f"{part} {took} s")
        if rc != "0" or not produced[part]:
            rows.append((f"part `{part}`", f"FAILED (exit {rc}{', no rows' if not produced[part] else ''}): "
                         f"see {out_dir}/{part}.log", "–", "–", "–", "**FAILED**"))

    start, end = num(meta.get("start_epoch")), num(meta.get("end_epoch"))
    total = f"{(end - start) / 60:.1f} min" if start is not None and end is not None else "?"
    print(f"# Issue 32 benchmarks{' (QUICK=1: small sizes, a smoke test)' if quick else ''}")
    print()
    print(f"- date: {meta.get('date')} (UTC), `bench/issue32.sh` at commit {meta.get('commit')}, {total} in all "
          f"({', '.join(durations)})")
    print(f"- machine: {meta.get('nproc')} cores (`nproc`), {meta.get('cpu')}, {meta.get('memory')}; load average "
          f"{meta.get('load_start')} at start, {meta.get('load_end')} at end")
    print(f"- JDK: {meta.get('java')}")
    print(f"- BLAS: {meta.get('blas') or '?'}; OPENBLAS_CORETYPE in the environment: {meta.get('coretype_env')}")
    print(f"- peers: LIBSVM `svm-train` (libsvm-tools) {meta.get('libsvm')}, scikit-learn {meta.get('sklearn')}, "
          f"NumPy {meta.get('numpy')}")
    print(f"- sizes: {meta.get('sizes')}{'; SKIP_1T=1 (no one-thread SVM runs)' if meta.get('skip_1t') else ''}")
    print("- figures: wall seconds (CPU seconds where given) on a shared machine; each ratio's two sides come from "
          "the same run. SVM times are whole commands (JVM or interpreter start and file reading included).")
    print()
    print("| benchmark | kernels4j | reference | ratio | target | met? |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |")
    print()
    missed = [row[0] for row in rows if row[5] != "met" and row[5] != "n/a"]
    if missed:
        print(f"Targets missed (or not measured) in {len(missed)} of "
              f"{sum(1 for row in rows if row[5] != 'n/a')} rows with a target:")
        for name in missed:
            print(f"- {name}")
    else:
        print("Every target met.")
    print()
    print(f"Logs and data: `{out_dir}/` (RESULT lines: `{out_dir}/results.txt`).")


if __name__ == "__main__":
    main()
