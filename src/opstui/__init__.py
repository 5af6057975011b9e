"""opstui: the weekly product-operations review of a software portfolio, in the terminal."""

__version__ = "0.1.0"
