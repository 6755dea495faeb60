"""Tasks: the work each stay creates, and manual tasks."""
