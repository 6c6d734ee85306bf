"""Prints, as JSON, the keys each Ionworks element type's config takes on the
wire, which of them are required, and whether others are refused, read from
Ionworks' own schema package (PyPI `ionworks-schema`): the classes its element
registry dispatches to (`schema_class_for`), their fields' wire names
(serialization alias, alias or name, as `BaseSchema.to_config` writes them)
and their `extra` setting. Run by scripts/ionworks-elements.ts with the vendor
SDKs' virtualenv; the output is test/fixtures/ionworks/elements.json.

`entry` and `calculation` are left out: an entry's shape depends on which of
values, path, name, pipeline_id or cell_spec_id it has, and a calculation's on
which of the package's calculation classes it names.
"""

import json
import warnings
from importlib.metadata import version

warnings.simplefilter("ignore")

from ionworks_schema._element_registry import CANONICAL_WIRE_VALUES, schema_class_for  # noqa: E402


def element(cls):
    fields = {}
    required = []
    for name, field in cls.model_fields.items():
        wire = field.serialization_alias or field.alias or name
        fields[wire] = {}
        if field.is_required():
            required.append(wire)
    out = {"type": "object", "properties": fields}
    if required:
        out["required"] = required
    if cls.model_config.get("extra") == "forbid":
        out["additionalProperties"] = False
    return out


def main():
    types = sorted(t for t in CANONICAL_WIRE_VALUES if t not in ("entry", "calculation"))
    doc = {
        "x-derived-from": {"package": "ionworks-schema", "version": version("ionworks-schema")},
        "elements": {t: element(schema_class_for(t)) for t in types},
    }
    print(json.dumps(doc, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
