"""lt-interview: Learning Together case review conversations, typed up, merged and analysed."""

import os as _os

__version__ = "0.1.0"

# Pydantic hands every value it validates to any plugin another installed package registers (an
# entry point anyone can add to the environment). Case data is never handed to code that was not
# chosen for it, so plugins are off; this also skips pydantic's scan of every installed package's
# metadata when the first model is built (a few milliseconds of start-up).
_os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
