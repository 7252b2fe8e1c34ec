"""mmplan: plan your way through an edX MicroMasters program."""

__version__ = "0.1.0"
