"""The op converters; importing this package registers them."""

from . import elementwise, nn, quant, shape  # noqa: F401
