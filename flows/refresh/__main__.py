"""`python -m flows.refresh [options]`: an alias of `gewh refresh [options]` (which applies the offline environment)."""

import sys

from gewh.cli import app

if __name__ == "__main__":
    app(["refresh", *sys.argv[1:]])
