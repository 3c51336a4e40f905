"""doudi (兜底): social assistance for people in difficulty, as rules and as a caseworker's system."""

__version__ = "0.1.0"
