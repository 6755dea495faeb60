"""The shell: settings, the one composition root (`bootstrap`), and the `turnover` CLI.

May import everything; nothing imports it except entry points and tests.
"""

__version__ = "0.1.0"
