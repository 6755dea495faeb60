"""Where people talk to Turnover: console, MCP, Slack, Telegram, web admin.

May import: `agent`, `tools`, `domain`, and each channel its own framework.
"""
