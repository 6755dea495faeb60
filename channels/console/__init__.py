"""The console channel: `turnover chat` (repl.py), the commands' plain text (render.py), notifications and tables."""
