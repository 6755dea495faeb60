"""The console channel: notifications printed to a terminal (and, later, `turnover chat`)."""
