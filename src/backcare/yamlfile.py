"""Reading knowledge-base files: bytes to text, text to data with a safe, line-numbering loader.

Every failure is one InvalidKnowledgeBase line naming the file (and line:column where YAML can
say). Only the safe loader is used (libyaml's C loader when present); tags, anchors, aliases and
duplicate keys are refused, so reading a file can never run code or blow up memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from backcare.errors import InvalidKnowledgeBase


def read_text(path: Path) -> str:
    """The file as text, or InvalidKnowledgeBase with one clear line."""
    shown = str(path)
    try:
        if path.is_dir():
            raise InvalidKnowledgeBase(f"{shown}: is a directory, not a knowledge-base file")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InvalidKnowledgeBase(f"{shown}: no such file") from None
    except PermissionError:
        raise InvalidKnowledgeBase(f"{shown}: cannot read the file (permission denied)") from None
    except IsADirectoryError:
        raise InvalidKnowledgeBase(f"{shown}: is a directory, not a knowledge-base file") from None
    except OSError as exc:
        raise InvalidKnowledgeBase(f"{shown}: cannot read the file ({exc.strerror or exc})") from None
    if b"\x00" in raw:
        raise InvalidKnowledgeBase(f"{shown}: looks like a binary file, not YAML text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvalidKnowledgeBase(
            f"{shown}:{line}: the file is not valid UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None


def _loader_class() -> type[Any]:
    import yaml

    from backcare.schema import LineDict

    base: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc]
        """Safe loader that records line numbers and refuses anchors, aliases and duplicate keys."""

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            if node in self.constructed_objects:
                raise yaml.constructor.ConstructorError(
                    None, None, "anchors and aliases (&name / *name) are not allowed", node.start_mark
                )
            return super().construct_object(node, deep=deep)

    def construct_map(loader: Any, node: Any) -> LineDict:
        loader.flatten_mapping(node)
        data = LineDict()
        data.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) or key is None:
                raise yaml.constructor.ConstructorError(
                    None, None, "mapping keys must be plain words", key_node.start_mark
                )
            name = str(key)
            if name in data:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key '{name}' in the same mapping", key_node.start_mark
                )
            data[name] = loader.construct_object(value_node, deep=True)
            data.key_lines[name] = key_node.start_mark.line + 1
        return data

    Loader.add_constructor("tag:yaml.org,2002:map", construct_map)
    return Loader


def parse_yaml(text: str, path: Path) -> Any:
    import yaml

    try:
        return yaml.load(text, Loader=_loader_class())  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = exc.problem or exc.context or "invalid YAML"
        if isinstance(exc, yaml.constructor.ConstructorError):
            if "could not determine a constructor" in problem:
                tag = problem.split("tag", 1)[-1].strip().strip("'").replace("tag:yaml.org,2002:", "!!")
                problem = f"the tag {tag} is not allowed (plain YAML only; nothing was run)"
            raise InvalidKnowledgeBase(f"{where}: {problem}") from None
        if "tab" in problem:
            problem = "a tab character is used for indentation (indent with spaces)"
        raise InvalidKnowledgeBase(f"{where}: YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise InvalidKnowledgeBase(f"{path}: YAML error: {exc}") from None
    except RecursionError:
        raise InvalidKnowledgeBase(f"{path}: the YAML is nested too deeply") from None
