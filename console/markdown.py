"""Markdown drawn for a terminal by rich (headings, bold, lists, tables, code): what the console
and ``bot.py ask`` show a person, instead of the ``**`` Discord would render."""

from __future__ import annotations

import io
import shutil
from typing import TextIO

from rich.console import Console
from rich.markdown import Markdown


def for_terminal(text: str, out: TextIO) -> str:
    """``text`` drawn for ``out``: in colour and to the terminal's width when it is a terminal,
    plain and 100 columns wide otherwise."""
    tty = out.isatty()
    buffer = io.StringIO()
    width = shutil.get_terminal_size((100, 24)).columns if tty else 100
    Console(file=buffer, force_terminal=tty, width=width, no_color=not tty).print(Markdown(text))
    return "\n".join(line.rstrip() for line in buffer.getvalue().rstrip("\n").splitlines())
