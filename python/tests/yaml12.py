"""YAML as JSON-compatible data under the YAML 1.2 core schema, the rules takt's reader follows.

PyYAML implements YAML 1.1, where an unquoted ``06:00`` is the base-60 integer 360, ``2026-11-23``
a date and ``no`` the boolean false; in YAML 1.2 (and in takt) the first two are strings. The
loader below is PyYAML's safe loader with the 1.1 implicit types replaced by the 1.2 core schema
(null, true/false, decimal/octal ``0o``/hex ``0x`` integers, floats): everything else is a string,
so a shipped example reads as the document its author wrote, independently of takt.
"""

import re

import yaml


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML's safe loader with the YAML 1.2 core schema's implicit types."""


Yaml12Loader.yaml_implicit_resolvers = {}
_RESOLVERS = [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", list("~nN") + [""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+0123456789."),
    ),
]
for _tag, _pattern, _first in _RESOLVERS:
    Yaml12Loader.add_implicit_resolver(_tag, re.compile(_pattern), _first)


def _int(loader, node):
    # YAML 1.2: `010` is ten (1.1 read it as octal eight); octal is written `0o10`.
    text = loader.construct_scalar(node)
    return int(text, 0) if text[:2] in ("0o", "0x") else int(text, 10)


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _int)


def load_yaml12(path):
    """The YAML file at ``path`` as Python data (dicts, lists, str, int, float, bool, None)."""
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=Yaml12Loader)
