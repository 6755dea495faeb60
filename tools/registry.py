"""The one tool registry: every tool is written once and served everywhere.

A tool is a typed async function `async def verb_noun(ctx: ToolContext, *, ...) -> Model` in
`tools/<area>.py`, marked with `@tool(...)`. Its keyword-only parameters and its docstring (the
first paragraph, then an `Args:` section) *are* the schema a model or a person sees. `Catalog`
collects the marked functions; the MCP server, the agent's toolset, the chat command table and
`turnover call` are thin adapters over it.

    catalog = default_catalog()                      # tools/catalog.py
    spec = catalog.get("list_tasks")
    spec.parameters_schema()                         # JSON schema of the arguments
    await catalog.call("list_tasks", ctx, {"limit": 10})   # validated, run, JSON-ready result
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any, TypeVar, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, create_model

from domain.errors import InvalidInput, NotFound
from domain.hosts import Channel
from tools.context import ToolContext

ToolFn = Callable[..., Awaitable[Any]]
F = TypeVar("F", bound=ToolFn)
MARK = "__turnover_tool__"
ARGS_HEADER = re.compile(r"^\s*Args:\s*$", re.MULTILINE)
ARG_LINE = re.compile(r"^(\s*)(\w+):\s?(.*)$")


@dataclass(frozen=True, slots=True)
class ToolMeta:
    """What a tool does to the world; the adapters map these onto their own vocabulary.

    - read_only: changes nothing (MCP readOnlyHint; chat channels run it without asking).
    - destructive: cancels or deletes something (chat channels ask for confirmation).
    - idempotent: calling it twice with the same arguments has the effect of calling it once.
    - spends_money: may commit the host to a payment.
    - needs_approval: above the property's auto-approve limit it becomes an approval card for a person.
    - humans_only: never offered to a model (the agent, MCP clients): only people decide.
    - open_world: calls a service outside Turnover (the RentAHuman marketplace, a calendar feed).
    - secret_args: arguments that carry a secret (a feed URL, door codes): never kept in a transcript.
    """

    read_only: bool = False
    destructive: bool = False
    idempotent: bool = False
    spends_money: bool = False
    needs_approval: bool = False
    humans_only: bool = False
    open_world: bool = False
    secret_args: tuple[str, ...] = ()


DEFAULT_PAGE, MAX_PAGE = 50, 200


def page(limit: int, offset: int) -> tuple[int, int]:
    """A list tool's (limit, offset), clamped: 1..200 items, never a negative offset."""
    return max(1, min(limit, MAX_PAGE)), max(0, offset)


MODEL_CHANNELS = frozenset({Channel.AGENT, Channel.MCP})  # where a language model chooses the calls


def tool(
    *,
    read_only: bool = False,
    destructive: bool = False,
    idempotent: bool | None = None,
    spends_money: bool = False,
    needs_approval: bool = False,
    humans_only: bool = False,
    open_world: bool = False,
    secret_args: tuple[str, ...] = (),
) -> Callable[[F], F]:
    """Mark an async function as a tool. A read-only tool is idempotent unless told otherwise."""
    meta = ToolMeta(
        read_only=read_only,
        destructive=destructive,
        idempotent=read_only if idempotent is None else idempotent,
        spends_money=spends_money,
        needs_approval=needs_approval,
        humans_only=humans_only,
        open_world=open_world,
        secret_args=secret_args,
    )

    def mark(fn: F) -> F:
        candidate: object = fn  # checked without narrowing `fn`'s own type
        if not inspect.iscoroutinefunction(candidate):
            raise TypeError(f"tool {fn.__name__} must be an async function")
        setattr(fn, MARK, meta)
        return fn

    return mark


def split_docstring(doc: str | None) -> tuple[str, dict[str, str]]:
    """(description, {argument: description}) from a Google-style docstring."""
    text = inspect.cleandoc(doc or "")
    header = ARGS_HEADER.search(text)
    if header is None:
        return text.strip(), {}
    description = text[: header.start()].strip()
    args: dict[str, str] = {}
    indent: int | None = None
    current = ""
    for line in text[header.end() :].splitlines():
        if not line.strip():
            continue
        lead = len(line) - len(line.lstrip())
        indent = lead if indent is None else indent
        if lead < indent:
            break  # a new section (Returns:, Raises:) ends the arguments
        match = ARG_LINE.match(line)
        if lead == indent and match:
            current = match.group(2)
            args[current] = match.group(3).strip()
        elif current:
            args[current] = f"{args[current]} {line.strip()}"
    return description, args


@dataclass(frozen=True, slots=True)
class ToolSpec:
    name: str
    fn: ToolFn
    meta: ToolMeta
    description: str  # the docstring without its Args section
    arguments: type[BaseModel]  # validates a call's arguments; its JSON schema is the tool's input schema
    returns: TypeAdapter[Any]

    @property
    def summary(self) -> str:
        """The first sentence-paragraph of the description (a one-line listing)."""
        return self.description.split("\n\n", 1)[0].replace("\n", " ")

    def parameters_schema(self) -> dict[str, Any]:
        return self.arguments.model_json_schema()

    def parameters(self) -> list[inspect.Parameter]:
        """The keyword-only parameters after `ctx`, with resolved annotations (for adapters that need a signature)."""
        hints = get_type_hints(self.fn)
        params = list(inspect.signature(self.fn).parameters.values())[1:]
        return [p.replace(annotation=hints[p.name]) for p in params]

    def validate(self, arguments: Mapping[str, Any] | None) -> dict[str, Any]:
        """The typed arguments, or InvalidInput naming each bad or missing one."""
        try:
            parsed = self.arguments.model_validate(dict(arguments or {}))
        except ValidationError as exc:
            raise InvalidInput(f"{self.name}: {describe_validation(exc)}") from None
        return {name: getattr(parsed, name) for name in type(parsed).model_fields}

    async def run(self, ctx: ToolContext, arguments: Mapping[str, Any] | None = None) -> Any:
        """Validate and run; returns the tool's own result (pydantic models)."""
        return await self.fn(ctx, **self.validate(arguments))

    def to_json(self, result: Any) -> Any:
        return self.returns.dump_python(result, mode="json")


def describe_validation(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(part) for part in error["loc"]) or "arguments"
        if error["type"] == "missing":
            parts.append(f"{where} is required")
        elif error["type"] == "extra_forbidden":
            parts.append(f"{where} is not an argument of this tool")
        else:
            parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts) + "."


def build_spec(fn: ToolFn) -> ToolSpec:
    meta: ToolMeta | None = getattr(fn, MARK, None)
    if meta is None:
        raise TypeError(f"{fn.__name__} is not marked with @tool")
    hints = get_type_hints(fn)
    params = list(inspect.signature(fn).parameters.values())
    if not params or params[0].name != "ctx":
        raise TypeError(f"tool {fn.__name__}: the first parameter must be ctx")
    description, docs = split_docstring(fn.__doc__)
    fields: dict[str, Any] = {}
    for param in params[1:]:
        if param.kind is not inspect.Parameter.KEYWORD_ONLY:
            raise TypeError(f"tool {fn.__name__}: parameter {param.name} must be keyword-only")
        if param.name not in docs:
            raise TypeError(f"tool {fn.__name__}: parameter {param.name} has no Args: line")
        default = ... if param.default is inspect.Parameter.empty else param.default
        fields[param.name] = (hints[param.name], Field(default, description=docs[param.name]))
    unknown = set(meta.secret_args) - set(fields)
    if unknown:
        raise TypeError(f"tool {fn.__name__}: secret_args names no parameter: {sorted(unknown)}")
    arguments = create_model(f"{fn.__name__}_arguments", __config__=ConfigDict(extra="forbid"), **fields)
    return ToolSpec(
        name=fn.__name__,
        fn=fn,
        meta=meta,
        description=description,
        arguments=arguments,
        returns=TypeAdapter(hints["return"]),
    )


class Catalog:
    """The tools, by name, in registration order."""

    def __init__(self) -> None:
        self._specs: dict[str, ToolSpec] = {}

    def register(self, fn: ToolFn) -> ToolSpec:
        spec = build_spec(fn)
        if spec.name in self._specs:
            raise ValueError(f"tool {spec.name} is registered twice")
        self._specs[spec.name] = spec
        return spec

    def register_module(self, module: ModuleType) -> None:
        """Register every function of `module` marked with @tool, in the order they are defined."""
        marked = [obj for obj in vars(module).values() if inspect.isfunction(obj) and hasattr(obj, MARK)]
        for fn in sorted(marked, key=lambda f: f.__code__.co_firstlineno):
            if fn.__module__ == module.__name__:
                self.register(fn)

    def __iter__(self) -> Iterator[ToolSpec]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def names(self) -> list[str]:
        return list(self._specs)

    def get(self, name: str) -> ToolSpec:
        spec = self._specs.get(name)
        if spec is None:
            raise NotFound("tool", name)
        return spec

    def for_models(self) -> list[ToolSpec]:
        """The tools a language model may be offered (the agent, MCP): never the humans-only ones."""
        return [spec for spec in self._specs.values() if not spec.meta.humans_only]

    async def call(self, name: str, ctx: ToolContext, arguments: Mapping[str, Any] | None = None) -> Any:
        """Run one tool for `ctx.actor` and return its result as JSON-ready data.

        A humans-only tool is refused when the actor's channel is driven by a model.
        """
        spec = self.get(name)
        if spec.meta.humans_only and ctx.actor.channel in MODEL_CHANNELS:
            raise NotFound("tool", name)
        return spec.to_json(await spec.run(ctx, arguments))
