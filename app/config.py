"""Settings: every knob of the server in one place, overridable by BACKPROP_LAB_* variables."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Where the server listens and how large a network a request may carry."""

    model_config = SettingsConfigDict(env_prefix="BACKPROP_LAB_")

    host: str = Field("127.0.0.1", description="Address the server binds to.")
    port: int = Field(8000, ge=0, le=65535, description="Port the server listens on (0: any free port).")
    open_browser: bool = Field(True, description="Open the page in a browser when the server starts.")
    max_layers: int = Field(8, ge=1, description="Most layers a network may have.")
    max_units: int = Field(64, ge=1, description="Most neurons in one layer.")
    max_inputs: int = Field(64, ge=1, description="Most input features.")
    max_parameters: int = Field(
        4096, ge=1, description="Most weights and biases in one network (its trace has a step for each)."
    )
    max_samples: int = Field(1024, ge=1, description="Most samples (rows of x) in one request.")
    max_body_bytes: int = Field(1_048_576, ge=1024, description="Largest request body, in bytes.")
    engine_threads: int = Field(
        1, ge=1, description="Steps computed at once per worker (more threads only contend for the GIL)."
    )
    torch_threads: int = Field(
        1, ge=1, description="torch threads of every thread that runs torch (one is fastest for small nets)."
    )
    inline_max_cost: int = Field(
        20_000, ge=0, description="A step of at most this many parameters × samples runs on the event loop "
        "(a thread hop costs more than such a step); larger ones run on the engine threads."
    )
    inline_max_bytes: int = Field(
        16_384, ge=0, description="A body larger than this is parsed on the engine threads, never on the event loop."
    )
    max_answer_bytes: int = Field(
        8_388_608, ge=65_536, description="Largest step answer, in bytes, estimated from the request's shape before "
        "anything is computed (25 bytes a number); a request whose answer would be larger gets 422."
    )
    compute_budget: float = Field(
        5.0, gt=0, description="Seconds of computing one request may take on the engine threads, checked between a "
        "step's phases; past it the step stops and the request gets 503 with Retry-After."
    )
    queue_limit: int = Field(
        16, ge=0, description="Requests that may wait for an engine thread (cheapest first); one more gets 503 "
        "with Retry-After at once."
    )
    switch_interval: float = Field(
        0.001, gt=0, le=0.1, description="Seconds a thread computing in Python may hold the GIL before the event loop "
        "gets it back (sys.setswitchinterval; Python's default is 0.005): shorter keeps small requests quick while "
        "a heavy one is computed."
    )
    workers: int = Field(1, ge=1, description="Worker processes (uvicorn workers; the API is stateless).")
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        [], description="Host names the server answers to, comma-separated, any port (* any name; *.example.org "
        "its subdomains); another Host header gets 400. Empty: 127.0.0.1, localhost and [::1] when bound to a "
        "loopback address; bound elsewhere, the names must be listed."
    )
    header_timeout: float = Field(
        10.0, gt=0, description="Seconds a client has to send a request's headers (from connecting, or from the "
        "request's first byte on a kept-alive connection); then 408 and the connection is closed."
    )
    body_timeout: float = Field(
        30.0, gt=0, description="Seconds a client has to send a request's body once its headers are in; then 408 "
        "and the connection is closed."
    )
    keep_alive_timeout: float = Field(
        5.0, gt=0, description="Seconds an idle connection is kept open for the client's next request."
    )
    limit_concurrency: int = Field(
        512, ge=1, description="Most connections and requests in progress per worker; a request past it gets 503."
    )
    graceful_shutdown_timeout: float = Field(
        10.0, gt=0, description="Seconds a stopping server waits for the requests in progress before it closes "
        "their connections."
    )
    max_gradcheck_addresses: int = Field(
        512, ge=1, description="Most parameter elements one POST /api/gradcheck checks (each costs two forward "
        "passes); without a list it checks the first this many."
    )
    max_gradcheck_cost: int = Field(
        200_000_000, ge=1, description="Most work one POST /api/gradcheck may do, counted as addresses × 2 forward "
        "passes × samples × parameters; without a list it checks as many addresses as fit."
    )

    # Training runs (POST /api/train, POST /api/data)
    train_max_steps: int = Field(20_000, ge=1, description="Most steps one training run may take.")
    train_max_samples: int = Field(
        1024, ge=1, description="Most rows in a training data set (generated or the user's table)."
    )
    train_max_seconds: float = Field(
        60.0, gt=0, description="Seconds of wall time a training run may take; then it ends with reason time_limit."
    )
    train_max_runs: int = Field(
        4, ge=1, description="Training runs streaming at once per worker; one more gets 503 with Retry-After."
    )
    train_threads: int = Field(
        1, ge=1, description="Threads computing training runs per worker, their own (not the engine's): runs take "
        "turns on them, a chunk of steps at a time."
    )
    train_chunk_seconds: float = Field(
        0.01, gt=0, description="About how long one chunk of training steps runs before the run yields its thread "
        "(and checks the client and the time limit)."
    )
    train_max_grid: int = Field(
        64, ge=1, description="Most points a side of a training run's decision-boundary or neuron maps."
    )
    train_max_snapshots: int = Field(200, ge=2, description="Most snapshots one training run may send.")

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _comma_separated(cls, value):
        """BACKPROP_LAB_ALLOWED_HOSTS=a.example,b.example (a JSON list is read too)."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                import json

                return json.loads(text)
            return [name.strip() for name in text.split(",") if name.strip()]
        return value
