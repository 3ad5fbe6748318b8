#!/usr/bin/env python3
"""Puts the feature paper's published numbers beside RawQuant's `features table --protocol paper` cells.

Usage: paper_feature_compare.py NAME CELLS.json PAPER-TABLES.md OUT.md
       paper_feature_compare.py --summary PAPER-TABLES.md OUT.md NAME=CELLS.json …

NAME is the paper's dataset name (california, fried, wine_quality, cpu_act, sulfur, superconduct). The paper's
numbers are read from PAPER-TABLES.md (its main table: FP, Pr-MQ, Pr-QQ, LLT4, LLT9, LSQ, Bw-SQ; its ablation: SQ),
so nothing is typed by hand. Writes OUT.md (a table per method: ours mean ± 95 % half-width, the paper's mean, and
the difference) and OUT.json (the same numbers). Cells not run yet show as "—".
With --summary: one row per table (FP, Bw-SQ and SQ at 2 and 4 bits, ours and the paper's) in OUT.md.
"""
import json
import os
import re
import sys

# RawQuant method → the paper's column.
COLUMNS = {"fp": "FP", "minmax": "Pr-MQ", "quantile": "Pr-QQ", "lsq": "LSQ", "sq": "SQ", "bwsq": "Bw-SQ"}
BITS = list(range(2, 9))


def paper_numbers(text, name):
    """{column: {bits: mse}} for dataset `name` from the main and the ablation tables."""
    numbers = {}
    header = None
    for line in text.splitlines():
        cells = [c.strip().strip("*") for c in line.strip().strip("|").split("|")]
        if len(cells) < 3:
            continue
        if cells[0] == "dataset" and cells[1] == "bits":
            header = cells
            continue
        if header is None or cells[0] != name:
            continue
        if re.fullmatch(r"\d", cells[1]):  # main table: one row per bit width
            for column, value in zip(header[2:], cells[2:]):
                numbers.setdefault(column, {})[int(cells[1])] = float(value)
        else:  # ablation: "2..8" or "2/3/…" with slash-separated values per bit width
            for column, value in zip(header[2:], cells[2:]):
                values = [float(v) for v in value.split("/")]
                numbers.setdefault(column, {}).update(dict(zip(BITS, values)))
    return numbers


def summary(reference_path, out_path, pairs):
    """One row per table: FP and Bw-SQ/SQ at 2 and 4 bits, RawQuant (mean ± half-width) beside the paper."""
    with open(reference_path) as f:
        text = f.read()
    lines = ["| table | cells done | FP | Bw-SQ 2 bits | Bw-SQ 4 bits | SQ 2 bits | SQ 4 bits |", "|---|---|---|---|---|---|---|"]
    for pair in pairs:
        name, path = pair.split("=", 1)
        with open(path) as f:
            cells = {(c["method"], c.get("bits")): c for c in json.load(f)}
        paper = paper_numbers(text, name)

        def entry(method, column, bits):
            cell = cells.get((method, None if method == "fp" else bits))
            theirs = paper.get(column, {}).get(bits)
            ours = f"{cell['mean']:.3f} ± {cell['halfWidth95']:.3f}" if cell else "—"
            return ours + (f" ({theirs:.3f})" if theirs is not None else "")

        lines.append(f"| {name} | {len(cells)} of 36 | {entry('fp', 'FP', 2)} | {entry('bwsq', 'Bw-SQ', 2)} | {entry('bwsq', 'Bw-SQ', 4)} | "
                     f"{entry('sq', 'SQ', 2)} | {entry('sq', 'SQ', 4)} |")
    with open(out_path, "w") as f:
        f.write("RawQuant under the paper's protocol (test MSE on the standardised target, mean ± 95 % half-width over 10 seeds),\n"
                "the paper's Table 2 in brackets (SQ: its ablation). Lower is better.\n\n" + "\n".join(lines) + "\n")


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "--summary":
        return summary(sys.argv[2], sys.argv[3], sys.argv[4:])
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    name, cells_path, reference_path, out_path = sys.argv[1:]
    with open(cells_path) as f:
        cells = json.load(f)
    with open(reference_path) as f:
        paper = paper_numbers(f.read(), name)
    if not paper:
        sys.exit(f"{reference_path}: no rows for dataset {name!r}")
    ours = {(c["method"], c.get("bits")): c for c in cells}
    rows, records = [], []
    for method, column in COLUMNS.items():
        entries = []
        for bits in BITS:
            cell = ours.get((method, None if method == "fp" else bits))
            theirs = paper.get(column, {}).get(bits)
            if cell is None:
                entries.append("—" if theirs is None else f"— ({theirs:.3f})")
                continue
            mean, half = cell["mean"], cell["halfWidth95"]
            diff = "" if theirs is None else f" ({theirs:.3f}, {mean - theirs:+.3f})"
            entries.append(f"{mean:.3f} ± {half:.3f}{diff}")
            records.append({"method": method, "paperColumn": column, "bits": bits, "mean": mean, "halfWidth95": half,
                            "paper": theirs, "difference": None if theirs is None else mean - theirs,
                            "withinInterval": None if theirs is None else abs(mean - theirs) <= half})
        rows.append(f"| {method} ({column}) | " + " | ".join(entries) + " |")
    # The same cells relative to each side's own full precision: what the quantizer costs, apart from the MLP.
    our_fp = ours.get(("fp", None)) and ours[("fp", None)]["mean"]
    paper_fp = paper.get("FP", {}).get(2)
    relative = []
    for method, column in COLUMNS.items():
        if method == "fp":
            continue
        entries = []
        for bits in BITS:
            cell = ours.get((method, bits))
            theirs = paper.get(column, {}).get(bits)
            mine = f"×{cell['mean'] / our_fp:.2f}" if cell and our_fp else "—"
            entries.append(mine + (f" (×{theirs / paper_fp:.2f})" if theirs is not None and paper_fp else ""))
        relative.append(f"| {method} ({column}) | " + " | ".join(entries) + " |")
    done = sum(1 for c in cells)
    lines = [
        f"# {name}: RawQuant under the paper's protocol, beside the paper's Table 2", "",
        f"Made by `Tools/paper_feature_tables.sh` (ONLY={name}) from `{os.path.basename(cells_path)}` ({done} cells) and the paper's",
        "numbers as `../shared/reference/PAPER-TABLES.md` gives them (SQ from its ablation table).", "",
        "Each cell: RawQuant's test MSE on the standardised target, mean ± 95 % half-width over 10 seeds, then (the paper's",
        "mean, RawQuant − paper). Lower is better; a negative difference means RawQuant is better.", "",
        "| method | " + " | ".join(f"{b} bits" for b in BITS) + " |",
        "|---|" + "---|" * len(BITS),
    ] + rows + [
        "", "Relative to each side's own full precision (MSE ÷ FP MSE; the paper's in brackets): the quantizer's cost apart",
        "from how well each side's MLP fits the table.", "",
        "| method | " + " | ".join(f"{b} bits" for b in BITS) + " |",
        "|---|" + "---|" * len(BITS),
    ] + relative
    with open(out_path, "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.splitext(out_path)[0] + ".json", "w") as f:
        json.dump(records, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
