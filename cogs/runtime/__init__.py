"""The Discord bot: the client class, its command tree, the error boundary and start-up."""

from cogs.runtime.bot import StudyBot, run
from cogs.runtime.errors import Guarded, SafeModal, SafeView, StudyTree
from cogs.runtime.replies import NO_PINGS, manager_only, reply, send_dm

__all__ = [
    "NO_PINGS",
    "Guarded",
    "SafeModal",
    "SafeView",
    "StudyBot",
    "StudyTree",
    "manager_only",
    "reply",
    "run",
    "send_dm",
]
