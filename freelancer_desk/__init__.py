"""Freelancer Desk core: data, rules and reports, free of any GUI toolkit."""

import time

#: When the process began importing the app; ``--smoke`` reports the time since.
STARTED_AT = time.perf_counter()

__version__ = "0.2.0"
APP_NAME = "Freelancer Desk"
APP_ID = "freelancer-desk"
