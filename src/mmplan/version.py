"""The version of mmplan, in a module of its own: modules import it, not the package."""

__version__ = "0.1.0"
