"""The offline front end: every feature over the same services, no Discord token needed."""

from console.console import Console

__all__ = ["Console"]
