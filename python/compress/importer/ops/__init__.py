"""The op converters; importing this package registers them."""

from . import elementwise, nn, shape  # noqa: F401
