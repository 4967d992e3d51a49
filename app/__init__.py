"""Backprop Lab: watch a neural network learn, every number computed by PyTorch."""

__version__ = "0.1.0"
