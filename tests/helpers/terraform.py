"""Read the Terraform configuration offline (python-hcl2): no provider, no cloud account."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TERRAFORM = ROOT / "terraform"
FUNCTION_MODULE = TERRAFORM / "modules" / "function"

_VAR_REF = re.compile(r"\$\{var\.(\w+)\}")


@dataclass
class Config:
    """One Terraform module folder, parsed: its blocks by kind."""

    folder: Path
    resources: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    variables: dict[str, dict[str, Any]] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    locals: dict[str, Any] = field(default_factory=dict)
    modules: dict[str, dict[str, Any]] = field(default_factory=dict)

    def resource(self, kind: str, name: str) -> dict[str, Any]:
        """The body of ``resource "kind" "name"``; KeyError names what is missing."""
        try:
            return self.resources[kind][name]
        except KeyError:
            raise KeyError(f"{self.folder.name}: no resource {kind}.{name}") from None

    def default(self, variable: str) -> Any:
        """The default value of a variable."""
        return self.variables[variable].get("default")

    def resolve(self, value: str, placeholder: str = "x") -> str:
        """A string with ``${var.NAME}`` replaced by defaults and other ``${...}`` by
        ``placeholder``: what a value looks like once applied."""
        value = _VAR_REF.sub(lambda m: str(self.default(m.group(1)) or ""), value)
        return re.sub(r"\$\{[^}]*\}", placeholder, value)


def _block(body: Any) -> dict[str, Any]:
    """A nested block as a dict (hcl2 gives a list of one dict for each block)."""
    if isinstance(body, list):
        return body[0] if body else {}
    return body


def block(body: dict[str, Any], *path: str) -> dict[str, Any]:
    """The nested block at ``path`` (``block(r, "push_config", "oidc_token")``)."""
    for name in path:
        body = _block(body.get(name, {}))
    return body


def load(folder: Path = TERRAFORM) -> Config:
    """Parse every ``*.tf`` file of one module folder."""
    import hcl2
    from hcl2 import SerializationOptions

    options = SerializationOptions(strip_string_quotes=True, explicit_blocks=False)
    config = Config(folder)
    for path in sorted(folder.glob("*.tf")):
        with path.open(encoding="utf-8") as fh:
            parsed = hcl2.load(fh, serialization_options=options)
        for item in parsed.get("resource", []):
            for kind, named in item.items():
                config.resources.setdefault(kind, {}).update(named)
        for item in parsed.get("variable", []):
            config.variables.update(item)
        for item in parsed.get("output", []):
            config.outputs.update(item)
        for item in parsed.get("locals", []):
            config.locals.update(item)
        for item in parsed.get("module", []):
            config.modules.update(item)
    return config


def tf_files() -> list[Path]:
    """Every Terraform file of the deployment, modules included."""
    return sorted(TERRAFORM.rglob("*.tf"))
