"""Installing shell completion: where each shell looks for it, written so that running the install
again changes nothing (the script is rewritten in place; a start-up line is added only once).
The scripts themselves come from Typer (typer_compat.completion_script)."""

from __future__ import annotations

from pathlib import Path

SHELLS = ("bash", "zsh", "fish")


def _add_line(rc: Path, line: str) -> None:
    text = rc.read_text(encoding="utf-8") if rc.is_file() else ""
    if line in text.splitlines():
        return
    rc.parent.mkdir(parents=True, exist_ok=True)
    rc.write_text(text + ("" if not text or text.endswith("\n") else "\n") + line + "\n", encoding="utf-8")


def install(shell: str, script: str, home: Path, prog: str = "backcare") -> Path:
    """Install `script` for `shell` under `home`; return the script's path. Idempotent."""
    if shell == "bash":
        target = home / ".bash_completions" / f"{prog}.sh"
        _add_line(home / ".bashrc", f"source '{target}'")
    elif shell == "zsh":
        target = home / ".zfunc" / f"_{prog}"
        _add_line(home / ".zshrc", "fpath+=~/.zfunc; autoload -Uz compinit; compinit")
    elif shell == "fish":
        target = home / ".config" / "fish" / "completions" / f"{prog}.fish"
    else:
        raise ValueError(f"no install for {shell}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(script, encoding="utf-8")
    return target
