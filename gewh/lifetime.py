"""Child processes that live only as long as the process that started them, and leave Ctrl-C to it.

A refresh killed outright leaves nothing behind (the kernel kills its children), and Ctrl-C, which a terminal sends
to every process of the foreground group, stops the refresh once: the refresh records the run, prints one line and
ends its children, which neither print a traceback of their own nor stop half-way through a write.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys


def tie_to_parent(parent: int | None = None) -> None:
    """Called in a child before it runs its work: killed when its parent dies (Linux), deaf to SIGINT.

    ``parent`` is the process id of the process that started it, where the caller knows it.  A parent that died
    before the kernel was asked (a refresh killed while its child was starting) sends no signal: the child then
    finds itself another process's child (or init's) and ends at once, rather than run on and hold the files.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() == 1 or (parent is not None and os.getppid() != parent):
        os._exit(1)
