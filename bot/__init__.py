"""briefbot: answers questions about news articles with quoted, cited passages."""

__version__ = "0.1.0"
