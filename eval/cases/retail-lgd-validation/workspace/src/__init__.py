"""Shared helpers for the rm-irb-2021 notebooks."""
