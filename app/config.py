"""Settings: every knob of the server in one place, overridable by BACKPROP_LAB_* variables."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    workers: int = Field(1, ge=1, description="Worker processes (uvicorn workers; the API is stateless).")
