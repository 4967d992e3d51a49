"""The training contract: a data set (generated or the user's table), a data request, a train request.

Every field is described here: these models are the OpenAPI docs of POST /api/data and
POST /api/train. The NDJSON lines /api/train streams are described in TrainRequest's docstring.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, FiniteFloat

from ..schemas import NetworkSpec, OptimizerSpec, _Strict

DataName = Literal["xor", "gaussians", "circles", "spiral", "line", "sine"]
MAX_SEED = 2**64 - 1
MAX_WATCH = 16  # watched parameter elements per run


class DataSpec(_Strict):
    """A data set: either generated (`name`, `n`, `noise`, `seed`…) or the user's own table (`x`, `y`)."""

    name: DataName | None = Field(
        None, description="A generated set. Classification, 2-D inputs in about [-1, 1]²: xor, gaussians, "
        "circles, spiral. Regression, 1-D input in [-1, 1]: line (y = 0.8x − 0.3 + noise), sine (y = sin πx + "
        "noise). Omit it and give `x` and `y` for your own table.")
    n: int = Field(200, ge=1, description="How many samples a generated set has (limit train_max_samples).")
    noise: FiniteFloat = Field(0.0, ge=0.0, le=2.0, description="Standard deviation of Gaussian jitter: on the "
                               "points for classification sets, on y for regression sets.")
    seed: int = Field(0, ge=0, le=MAX_SEED, description="Seed of the points and of the train/test split (a "
                      "table uses it for the split only). Same seed, same data, bit for bit.")
    classes: int = Field(2, ge=2, le=8, description="Number of classes of gaussians and spiral (xor and circles "
                         "have 2). More than 2 needs `targets` \"classes\" (cross_entropy).")
    targets: Literal["column", "classes"] | None = Field(
        None, description="How a classification set's y is shaped: \"column\", a column of 0/1 (for bce or mse, "
        "one output unit), or \"classes\", class indices (for cross_entropy). Omitted: /api/train picks it "
        "from `network.loss` (classes for cross_entropy, else column); /api/data gives a column. Regression "
        "sets are always a column.")
    x: list[list[FiniteFloat]] | None = Field(
        None, description="Your own table's inputs, shape (N, inputs) (the page parses the CSV).")
    y: list[list[FiniteFloat]] | list[int] | None = Field(
        None, description="Your own table's targets: shape (N, outputs), or N class indices for cross_entropy. "
        "Class indices, or one column of only 0 and 1, make it a classification table (accuracy reported).")


class DataRequest(DataSpec):
    """POST /api/data: the `data` object of a train request, plus `test_fraction`.

    Answers `{"x": [[…]], "y": [[…]] | [class indices], "train": [row indices], "test": [row indices],
    "task": "classification" | "regression", "inputs": d, "classes": k | null}`: exactly the rows and the
    split POST /api/train trains on for the same data object and test_fraction.
    """

    test_fraction: FiniteFloat = Field(0.0, ge=0.0, le=0.9, description="Share of the rows held out as the test "
                                       "set, drawn by the data's seed (round(test_fraction·N) rows).")


class TrainRequest(_Strict):
    """POST /api/train: train `network` on `data` for `steps` steps; the answer is NDJSON, one object a line.

    - A **step line** per step k = start_step+1 … : `{"step": k, "loss", "test_loss", "accuracy",
      "test_accuracy", "grad_norms": [‖∂L/∂W‖ per layer], "batch": [rows] | null, "watch": {address:
      {"value", "grad", "after", "state"}}}`. `loss` is the forward loss of step k's batch before step k's
      update (what a plain torch loop prints at iteration k); `accuracy` is the share of that batch's rows
      classified right (null for regression); `test_loss`/`test_accuracy` are over the test rows at the same
      weights (null without a test set). `batch` names the rows of x step k trained on (null for a full batch:
      every training row, in order). A line with a non-finite number has it as null and `"diverged": true`.
    - A **snapshot line** `{"snapshot": {"step": k, "network" (weights after k updates), "optimizer_state" (as
      /api/step takes it), "next_batch": [rows step k+1 trains on], "grid": {…} | null, "dead": [[bool per
      unit] per hidden layer]}}` at k = start_step, at every multiple of snapshot_every, and at the end.
    - A snapshot's **grid** (null when inputs > 2 or both resolutions are 0): `{"kind": "map" | "curve", "x0":
      [lo, hi], "x1": [lo, hi] (map), "size": grid, "output": per output unit a size×size map (row r at the
      r-th x₁ from lo upwards, column c at the c-th x₀) or size values, softmax probabilities for
      cross_entropy, else ŷ; "x": the curve's size points (curve), "neuron_size": neuron_grid, "neurons": per
      hidden layer, per unit, its z as such a map or curve, "neuron_x" (curve)}`: the data's range widened by a
      tenth each side, every value rounded to 4 decimals. **dead**: a hidden unit whose s ≤ 0 on every training
      row, in a layer whose activation the registry says `dies` there: a ReLU (dead: its gradient is 0 for
      every row) or a leaky ReLU (nearly dead: α times); always false for other activations.
    - A **last line** `{"done": true, "step": k, "reason": "finished" | "diverged" | "time_limit" |
      "server_stopping", "network", "optimizer_state", "next_batch"}` (server_stopping: the server was
      asked to stop; a new request from the last snapshot goes on where the run was).

    Replay: POST /api/step with a snapshot's network and optimizer_state and x, y = the rows of its
    next_batch gives step k+1's loss, gradients and network_after bit for bit.
    """

    network: NetworkSpec = Field(description="The network, as /api/step takes it (weights omitted: from "
                                 "`network.seed`, PyTorch's initialisation).")
    data: DataSpec = Field(description="The data set: generated or your own table.")
    test_fraction: FiniteFloat = Field(0.0, ge=0.0, le=0.9, description="Share of the rows held out as the test "
                                       "set (seeded by data.seed; see POST /api/data).")
    optimizer: OptimizerSpec = Field(default_factory=OptimizerSpec, description="The optimizer, as /api/step.")
    optimizer_state: dict[str, Any] | None = Field(
        None, description="An optimizer_state from a snapshot or the last line, to resume; omit for a fresh one.")
    steps: int | None = Field(None, ge=1, description="Steps to take (one step = one batch); limit "
                              "train_max_steps. Give `steps` or `epochs`.")
    epochs: int | None = Field(None, ge=1, description="Instead of `steps`: whole passes over the training rows "
                               "(steps = epochs × steps per epoch).")
    batch_size: int | None = Field(None, ge=1, description="Rows per step; null, or at least the number of "
                                   "training rows: every training row, in order, every step (full batch).")
    seed: int = Field(0, ge=0, le=MAX_SEED, description="Seed of the minibatch order: epoch e's order is the "
                      "(e+1)-th torch.randperm(training rows) of a torch.Generator seeded with it.")
    start_step: int = Field(0, ge=0, description="Steps already taken (resuming from a snapshot at this step): "
                            "numbering and minibatch order go on as in the uninterrupted run.")
    snapshot_every: int | None = Field(None, ge=1, description="A snapshot at every multiple of this step "
                                       "number; default about steps/20.")
    watch: list[str] = Field([], max_length=MAX_WATCH, description="Parameter elements to follow every step, "
                             "by address: \"W:l,i,j\" or \"b:l,i\" (layers from 1).")
    grid: int | None = Field(None, ge=0, description="Resolution of the decision-boundary map (2-D inputs: "
                             "grid × grid cells) or of the fitted curve (1-D input: grid points); 0 = none. "
                             "Default 32 for 2-D, 64 for 1-D, 0 otherwise.")
    neuron_grid: int | None = Field(None, ge=0, description="Resolution of each hidden neuron's map (2-D) or "
                                    "curve (1-D); 0 = none. Default 16 for 2-D, 64 for 1-D.")
