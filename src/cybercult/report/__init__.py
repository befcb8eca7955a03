"""Self-contained HTML report and its Markdown twin."""
from .build import Report

__all__ = ["Report"]
