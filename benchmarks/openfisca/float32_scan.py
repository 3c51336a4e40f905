"""Where float32 (OpenFisca's float) loses the fen on the stated 低保 rule.

Scans every household income, 1 fen apart, from 0 to the standard × members (700 yuan, 1–8
members, one earner), computes the rule in float32 with the formula's operations
(per-capita = income / members; (standard − per-capita) × members) and compares, after
rounding half-up to the fen, with the exact integer-fen result; then shows the float32
spacing at a few magnitudes and the error of a float32 sum of many amounts.
Run: .venv/bin/python benchmarks/openfisca/float32_scan.py
"""

from __future__ import annotations

import numpy as np


def scan(standard_fen: int = 70000, members: range = range(1, 9)) -> tuple[int, int]:
    bad = total = 0
    std = np.float32(standard_fen / 100)
    for n in members:
        inc = np.arange(0, standard_fen * n + 1, dtype=np.int64)
        pci = (inc / 100).astype(np.float32) / np.float32(n)
        elig = pci < std
        amount = np.where(elig, (std - pci) * np.float32(n), np.float32(0)).astype(np.float32)
        fen = np.floor(amount.astype(np.float64) * 100 + 0.5).astype(np.int64)
        exact_elig = inc < standard_fen * n
        exact = np.where(exact_elig, standard_fen * n - inc, 0)
        bad += int(((fen != exact) | (elig != exact_elig)).sum())
        total += len(inc)
    return bad, total


def main() -> None:
    bad, total = scan()
    print(f"incomes scanned: {total:,}; households whose eligibility or amount differs to the fen: {bad}")
    for v in (700, 5600, 131072, 1e6, 1e8):
        print(f"float32 spacing at {v:>13,.0f} yuan: {np.spacing(np.float32(v)):.6f} yuan")
    rng = np.random.default_rng(0)
    fen = rng.integers(1, 300000, 1_000_000)
    exact = int(fen.sum())
    f32 = float(np.sum((fen / 100).astype(np.float32), dtype=np.float32))
    print(f"1,000,000 amounts: exact total {exact / 100:,.2f} yuan, float32 sum {f32:,.2f} ({f32 - exact / 100:+,.2f})")


if __name__ == "__main__":
    main()
