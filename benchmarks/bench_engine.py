"""Sections 1 and 2: the engine's step against a bare torch step, in this process."""

from __future__ import annotations

from bench_common import Figure, interleaved_medians, ms
from bench_context import Context
from bench_nets import LABELS

GOAL_RATIO = 2.0  # engine step ÷ bare torch step
GOAL_ANSWER_BYTES = 100_000  # the growth network's answer


def compare(ctx: Context, name: str) -> dict:
    """The engine's step, the whole bytes-to-bytes path and the bare step of one network, timed in
    alternated blocks; medians and their ratios to the bare step."""
    prepared = ctx.prepare(name)
    fns = {"session": prepared.session, "engine": prepared.engine, "bare": prepared.bare}
    times = interleaved_medians(fns, ctx.rounds, ctx.block_s)
    return {"session_s": times["session"], "engine_s": times["engine"], "bare_s": times["bare"],
            "session_ratio": times["session"] / times["bare"], "ratio": times["engine"] / times["bare"],
            "request_bytes": len(prepared.body), "answer_bytes": prepared.answer_bytes}


def ratio_figures(section: str, name: str, row: dict) -> list[Figure]:
    """The summary lines of the engine step's and the whole path's ratio to the bare step."""
    return [
        Figure(section, f"engine step (Session.step, known structure) ÷ bare torch, {LABELS[name]}",
               f"{ms(row['session_s'])} / {ms(row['bare_s'])} = {row['session_ratio']:.1f}×",
               f"≤ {GOAL_RATIO:g}×", row["session_ratio"] <= GOAL_RATIO),
        Figure(section, f"request bytes → answer bytes ÷ bare torch, {LABELS[name]}",
               f"{ms(row['engine_s'])} / {ms(row['bare_s'])} = {row['ratio']:.1f}×",
               "reported", None),  # the goal for the whole path is the throughput's (section 3)
    ]


def print_header() -> None:
    """The column titles of the ratio table."""
    print(f"   {'network':<38} {'engine':>9} {'bytes→bytes':>12} {'bare torch':>11} {'ratios':>13}   "
          f"{f'goal ≤ {GOAL_RATIO:g}×':<17}  request → answer")


def print_row(name: str, row: dict, figures: list[Figure]) -> None:
    """One network's line of the ratio table."""
    verdicts = " / ".join(f.verdict for f in figures)
    print(f"   {LABELS[name]:<38} {ms(row['session_s']):>9} {ms(row['engine_s']):>12} {ms(row['bare_s']):>11} "
          f"{row['session_ratio']:>5.1f}× {row['ratio']:>5.1f}×   {verdicts:<17}  "
          f"{row['request_bytes']:,} B → {row['answer_bytes']:,} B")


def section_engine(ctx: Context) -> list[Figure]:
    """1. Engine step ÷ bare torch step, for the lecture net and MyMiniMLP (batch of 32)."""
    print("1. Engine step ÷ bare torch step, same network, same process (goal ≤ 2×)")
    print("   engine: Session.step on a known structure (copy the numbers in, forward with every s and z kept,")
    print("   loss, backward, optimizer step, read every number out, finiteness check);")
    print("   bytes→bytes: app.service.step_bytes(body, settings): parse, validate, the engine step, JSON answer;")
    print("   bare: zero_grad, forward, loss, backward, optimizer step on an nn.Sequential built once.")
    print_header()
    figures, rows = [], {}
    for name in ("lecture", "mini-mlp"):
        rows[name] = compare(ctx, name)
        pair = ratio_figures("engine", name, rows[name])
        figures += pair
        print_row(name, rows[name], pair)
    ctx.results["engine"] = rows
    return figures


def section_growth(ctx: Context) -> list[Figure]:
    """2. The same ratio and the answer's size for 8 → 32 → 32 → 1 (1,377 parameters), batch 1."""
    print("2. Growth with size: 8 → 32 → 32 → 1 (ReLU, identity output, MSE, weights from network.seed), N = 1")
    print_header()
    row = compare(ctx, "growth")
    ratios = ratio_figures("growth", "growth", row)
    print_row("growth", row, ratios)
    size = Figure("growth", f"answer size, {LABELS['growth']}", f"{row['answer_bytes']:,} B",
                  f"≤ {GOAL_ANSWER_BYTES:,} B", row["answer_bytes"] <= GOAL_ANSWER_BYTES)
    print(f"   answer {row['answer_bytes']:,} B   goal ≤ {GOAL_ANSWER_BYTES:,} B (100 kB)   {size.verdict}")
    ctx.results["growth"] = row
    return [*ratios, size]
