"""Outputs for people: the HTML/Markdown report, the slide deck, the publication table."""
from .build import Report
from .deck import write_deck
from .publication import PublicationTable, publication_table, write_publication_tables

__all__ = ["Report", "write_deck", "publication_table", "PublicationTable", "write_publication_tables"]
