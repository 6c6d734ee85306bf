"""Prints, as JSON, the config each Ionworks element takes on the wire, read
from Ionworks' own schema package (PyPI `ionworks-schema`), which the server
validates elements with: for each class its element registry dispatches to
(`_element_registry.validate_element`), the fields' wire names (serialization
alias, alias or name, as `BaseSchema.to_config` writes them), which are
required, whether other keys are refused (`extra`), the JSON kinds each field
accepts and a Literal field's values. Run by scripts/ionworks-elements.ts with
the vendor SDKs' virtualenv; the output is test/fixtures/ionworks/elements.json.

- `elements`: the element types whose config is one class.
- `entry`: an entry's class depends on its shape (`_validate_entry`): `path`
  (the `from_json` function schema, `path` standing for `file_path`), `direct`
  (DirectEntry, with `values` standing for `parameters`), or `named` (the
  entry class or function schema its `name` names).
- `calculations`: the calculation classes a calculation's `type` (or legacy
  `calculation`) key names.

A field's kinds are found by asking the class itself: a JSON value of each
kind is validated in a config the class otherwise accepts, and the kind is
refused only when every probe of it fails for its kind (model validators that
rewrite a field before validation are thereby respected). So the offline check never refuses a kind
the package accepts; what the probes cannot see stays open.
"""

import json
import types
import typing
import warnings
from importlib.metadata import version

warnings.simplefilter("ignore")

from ionworks_schema import calculations, direct_entries  # noqa: E402
from ionworks_schema._element_registry import (  # noqa: E402
    CANONICAL_WIRE_VALUES,
    entry_schema_for_name,
    schema_class_for,
)
from ionworks_schema.base import BaseSchema  # noqa: E402
from ionworks_schema.calculations.calculations import Calculation  # noqa: E402
from pydantic import ValidationError  # noqa: E402

# JSON values of each kind; a kind is allowed when any of its probes is.
PROBES = {
    "null": [None],
    "boolean": [True, False],
    "number": [0, 1, 2, 1.5, -2],
    "string": ["x", "1", "1.5", "true", "positive", "2024-01-01"],
    "array": [[], [1, 2], [1.5, 2.5], ["x"], [{"a": 1}]],
    "object": [{}, {"a": 1}, {"a": "x"}, {"type": "x"}],
}
NOT_A_LITERAL = "\u2002not-a-literal\u2002"


def field_errors(cls, wire, names, value, base=None):
    """The error types validating {**base, wire: value} reports at this field."""
    try:
        cls.model_validate({**(base or {}), wire: value})
    except ValidationError as e:
        return [err["type"] for err in e.errors() if err["loc"][:1] and err["loc"][0] in names]
    except Exception:  # a validator that cannot cope with the probe: say nothing about it
        return []
    return []


def field_fails(cls, wire, names, value, base=None):
    return bool(field_errors(cls, wire, names, value, base))


def refuses_kind(cls, wire, names, probes, base):
    """Every probe fails for its kind alone (a `*_type` error, such as
    string_type or model_attributes_type), not for its content: a probe of the
    right kind with the wrong content (a union tag, a value the class's
    validators refuse) leaves the kind open."""
    for p in probes:
        errors = field_errors(cls, wire, names, p, base)
        if not errors or not all(t.endswith("_type") or t in ("none_required", "is_instance_of") for t in errors):
            return False
    return True


def literal_values(annotation):
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return list(args)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1:
            return literal_values(inner[0])
    return None


def candidates(field):
    return [*(literal_values(field.annotation) or []), *(p for probes in PROBES.values() for p in probes)]


def valid_base(cls):
    """A value for each required field that the field accepts: many classes'
    __init__ takes the required fields as arguments, so without them a probe
    never reaches field validation."""
    fields = {wire_name(n, f): (n, f) for n, f in cls.model_fields.items() if f.is_required()}
    base = {wire: None for wire in fields}
    for wire, (name, field) in fields.items():
        base[wire] = next((v for v in candidates(field) if not field_fails(cls, wire, {name, wire}, v, base)), None)
    return base


def field_schema(cls, name, field, wire, probe_as=None):
    probe_as = probe_as or wire
    names = {name, wire, probe_as}
    base = valid_base(cls)
    kinds = [k for k, probes in PROBES.items() if not refuses_kind(cls, probe_as, names, probes, base)]
    out = {} if len(kinds) == len(PROBES) else {"type": kinds}
    values = literal_values(field.annotation)
    others = [p for probes in PROBES.values() for p in probes if p is not None and p not in (values or [])]
    if (
        values
        and all(isinstance(v, str) for v in values)
        and not any(field_fails(cls, probe_as, names, v, base) for v in values)
        and all(field_fails(cls, probe_as, names, p, base) for p in [NOT_A_LITERAL, *others])
    ):
        out = {"enum": values + ([] if field_fails(cls, probe_as, names, None, base) else [None])}
    return out


def wire_name(name, field):
    return field.serialization_alias or field.alias or name


def class_schema(cls, rename=None, extra_optional=()):
    """The config `cls` validates; `rename` maps a wire key to the field key it stands for."""
    rename = rename or {}
    by_field = {v: k for k, v in rename.items()}
    properties = {}
    required = []
    for name, field in cls.model_fields.items():
        wire = wire_name(name, field)
        shown = by_field.get(wire, wire)
        properties[shown] = field_schema(cls, name, field, shown, probe_as=wire)
        if field.is_required():
            required.append(shown)
    for key in extra_optional:
        properties.setdefault(key, {})
    out = {"type": "object", "properties": properties}
    if required:
        out["required"] = required
    if cls.model_config.get("extra") == "forbid":
        out["additionalProperties"] = False
    return out


def entry():
    names = sorted(
        n
        for n in {*dir(direct_entries), *direct_entries.FUNCTION_SCHEMAS}
        if not n.startswith("_") and entry_schema_for_name(n) is not None
    )
    return {
        # _validate_entry: at most one of these; `source` is kept apart and allowed with every shape.
        "sources": ["path", "values", "pipeline_id", "cell_spec_id"],
        "path": class_schema(direct_entries.FUNCTION_SCHEMAS["from_json"], {"path": "file_path"}, ["source"]),
        "direct": class_schema(direct_entries.DirectEntry, extra_optional=["values"]),
        "named": {n: class_schema(entry_schema_for_name(n), extra_optional=["source"]) for n in names},
    }


def calculation_classes():
    out = {}
    for n in dir(calculations):
        cls = getattr(calculations, n)
        if isinstance(cls, type) and issubclass(cls, Calculation) and cls is not Calculation:
            out[n] = class_schema(schema_class_for("calculation", n))
    return dict(sorted(out.items()))


def main():
    types = sorted(t for t in CANONICAL_WIRE_VALUES if t not in ("entry", "calculation"))
    doc = {
        "x-derived-from": {"package": "ionworks-schema", "version": version("ionworks-schema")},
        "elements": {t: class_schema(schema_class_for(t)) for t in types},
        "entry": entry(),
        "calculations": calculation_classes(),
    }
    print(json.dumps(doc, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
