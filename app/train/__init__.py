"""Training runs: data sets made from a seed, a chunked torch loop, snapshots to replay any step. No FastAPI."""
