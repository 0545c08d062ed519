"""Freelancer Desk core: data, rules and reports, free of any GUI toolkit."""

__version__ = "0.1.0"
APP_NAME = "Freelancer Desk"
APP_ID = "freelancer-desk"
