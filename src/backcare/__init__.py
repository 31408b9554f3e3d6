"""backcare: an offline command-line reference on treatments for back pain."""

__version__ = "0.1.0"
