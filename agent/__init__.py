"""The pydantic-ai agent built from the tool registry, and the one call the chat channels make.

May import: `tools`, `domain`, pydantic_ai. The channels use only what is exported here.
"""

from agent.chat import AgentReply, reply
from agent.core import TurnoverAgent, build_agent, model_ready

__all__ = ["AgentReply", "TurnoverAgent", "build_agent", "model_ready", "reply"]
