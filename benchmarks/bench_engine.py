"""Sections 1 and 2: the engine's step against a bare torch step, in this process."""

from __future__ import annotations

from bench_common import Figure, interleaved_medians, ms
from bench_context import Context
from bench_nets import LABELS

GOAL_RATIO = 2.0  # engine step ÷ bare torch step
GOAL_ANSWER_BYTES = 100_000  # the growth network's answer


def compare(ctx: Context, name: str) -> dict:
    """Engine and bare step of one network timed in alternated blocks; medians and their ratio."""
    prepared = ctx.prepare(name)
    times = interleaved_medians({"engine": prepared.engine, "bare": prepared.bare}, ctx.rounds, ctx.block_s)
    ctx.bare_s[name] = times["bare"]
    return {"engine_s": times["engine"], "bare_s": times["bare"], "ratio": times["engine"] / times["bare"],
            "request_bytes": len(prepared.body), "answer_bytes": prepared.answer_bytes}


def ratio_figure(section: str, name: str, row: dict) -> Figure:
    """The summary line of an engine ÷ bare ratio."""
    return Figure(section, f"engine step ÷ bare torch, {LABELS[name]}",
                  f"{ms(row['engine_s'])} / {ms(row['bare_s'])} = {row['ratio']:.1f}×",
                  f"≤ {GOAL_RATIO:g}×", row["ratio"] <= GOAL_RATIO)


def print_header() -> None:
    """The column titles of the ratio table."""
    print(f"   {'network':<38} {'engine':>10} {'bare torch':>11} {'ratio':>7}   "
          f"{f'goal ≤ {GOAL_RATIO:g}×':<9}  request → answer")


def print_row(name: str, row: dict, figure: Figure) -> None:
    """One network's line of the ratio table."""
    print(f"   {LABELS[name]:<38} {ms(row['engine_s']):>10} {ms(row['bare_s']):>11} {row['ratio']:>6.1f}×   "
          f"{figure.verdict:<9}  {row['request_bytes']:,} B → {row['answer_bytes']:,} B")


def section_engine(ctx: Context) -> list[Figure]:
    """1. Engine step ÷ bare torch step, for the lecture net and MyMiniMLP (batch of 32)."""
    print("1. Engine step ÷ bare torch step, same network, same process (goal ≤ 2×)")
    print("   engine: app.service.step_bytes(body, settings): parse, validate, torch step, JSON answer;")
    print("   bare: zero_grad, forward, loss, backward, optimizer step on an nn.Sequential built once.")
    print_header()
    figures, rows = [], {}
    for name in ("lecture", "mini-mlp"):
        rows[name] = compare(ctx, name)
        figures.append(ratio_figure("engine", name, rows[name]))
        print_row(name, rows[name], figures[-1])
    ctx.results["engine"] = rows
    return figures


def section_growth(ctx: Context) -> list[Figure]:
    """2. The same ratio and the answer's size for 8 → 32 → 32 → 1 (1,377 parameters), batch 1."""
    print("2. Growth with size: 8 → 32 → 32 → 1 (ReLU, identity output, MSE, weights from network.seed), N = 1")
    print_header()
    row = compare(ctx, "growth")
    ratio = ratio_figure("growth", "growth", row)
    print_row("growth", row, ratio)
    size = Figure("growth", f"answer size, {LABELS['growth']}", f"{row['answer_bytes']:,} B",
                  f"≤ {GOAL_ANSWER_BYTES:,} B", row["answer_bytes"] <= GOAL_ANSWER_BYTES)
    print(f"   answer {row['answer_bytes']:,} B   goal ≤ {GOAL_ANSWER_BYTES:,} B (100 kB)   {size.verdict}")
    ctx.results["growth"] = row
    return [ratio, size]
