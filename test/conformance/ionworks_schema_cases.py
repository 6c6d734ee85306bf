"""Configs of every Ionworks element class, valid and broken, each with the
verdict of Ionworks' own schema package as the server reaches it (the
emulator's schema_check, which validates a whole pipeline body): one JSON
list on stdout. The test holds the offline checks (schemas/, built from
test/fixtures/ionworks/elements.json) to these verdicts.

A case is {"label", "element", "accepted", "mustCatch"}: mustCatch marks the
breakages the offline checks are meant to find (an unknown key, a missing
required key, a value of a refused kind, a value outside a Literal, the entry
and calculation dispatch rules).
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path[:0] = [os.path.join(ROOT, "scripts"), os.path.join(ROOT, "test", "fakes", "ionworks")]

import ionworks_elements as derive  # noqa: E402
from ionworks_schema import direct_entries  # noqa: E402
from ionworks_schema._element_registry import schema_class_for  # noqa: E402
from schema_check import check  # noqa: E402

# Configs from examples/ionworks-fit, the fit elements' bases (the package's
# model validators want objectives and parameters a probe cannot make up).
FIT = {
    "objectives": {"ocp": {"type": "MSMRHalfCell", "data": "db:ocp-measurement-2026-10"}},
    "parameters": {"Positive electrode capacity [A.h]": {"initial_value": 5.09, "bounds": [4.98, 6.1]}},
}
VALIDATION = {"objectives": {"ocp": {"type": "MSMRHalfCell", "data": "db:ocp-validation-2026-10"}}}


def accepted(element):
    try:
        return not check({"project_id": "p", "options": {}, "elements": {"e": element}}, {})
    except Exception:  # the package breaks on it (e.g. parameters: true): the server cannot accept it either
        return False


def class_cases(label, head, base, schema):
    """The base config and, from it, one breakage per derived rule."""
    cases = [(f"{label} valid", {**head, **base}, False)]
    cases.append((f"{label} unknown key", {**head, **base, "bogus_key": 1}, True))
    for key in schema.get("required", []):
        cfg = {k: v for k, v in base.items() if k != key}
        cases.append((f"{label} without {key}", {**head, **cfg}, True))
    for key, prop in schema["properties"].items():
        if key in head:
            continue
        # Every probe and Literal value, broken or not: the package's verdict decides.
        for value in [*prop.get("enum", []), *(p for probes in derive.PROBES.values() for p in probes)]:
            cases.append((f"{label} {key}={json.dumps(value)}", {**head, **base, key: value}, False))
        kinds = prop.get("type")
        if kinds:
            for kind, probes in derive.PROBES.items():
                if kind not in kinds:
                    cases.append((f"{label} {key} {kind}", {**head, **base, key: probes[-1]}, True))
        if "enum" in prop:
            cases.append((f"{label} {key} not a value", {**head, **base, key: derive.NOT_A_LITERAL}, True))
    return cases


def main():
    doc = json.loads(derive_doc())
    cases = []
    for t, schema in doc["elements"].items():
        base = FIT if t != "validation" else VALIDATION
        cases += class_cases(t, {"element_type": t}, base, schema)
    for name, schema in doc["calculations"].items():
        cls = schema_class_for("calculation", name)
        head = {"element_type": "calculation", "calculation": name}
        cases += class_cases(f"calculation {name}", head, derive.valid_base(cls), schema)
    for name, schema in doc["entry"]["named"].items():
        cls = direct_entries.FUNCTION_SCHEMAS.get(name) or getattr(direct_entries, name)
        head = {"element_type": "entry", "name": name}
        cases += class_cases(f"entry {name}", head, derive.valid_base(cls), schema)
    cases += class_cases(
        "entry path", {"element_type": "entry"}, {"path": "params.json"}, doc["entry"]["path"]
    )
    direct = {"element_type": "entry"}
    cases += class_cases("entry values", direct, {"values": {"a": 1}}, doc["entry"]["direct"])
    cases += [
        ("entry two sources", {**direct, "values": {"a": 1}, "pipeline_id": "r1"}, True),
        ("entry path and cell spec", {**direct, "path": "p.json", "cell_spec_id": "c", "mapping": {"a": "b"}}, True),
        ("entry no source", {**direct, "source": "notes"}, True),
        ("entry unknown name", {**direct, "name": "no_such_entry"}, True),
        ("entry keep without a pipeline", {**direct, "values": {"a": 1}, "keep": ["a"]}, True),
        ("entry keep empty", {**direct, "pipeline_id": "r1", "keep": []}, True),
        ("entry keep", {**direct, "pipeline_id": "r1", "keep": ["a"]}, False),
        ("entry cell spec without mapping", {**direct, "cell_spec_id": "c"}, True),
        ("entry cell spec", {**direct, "cell_spec_id": "c", "mapping": {"x": "y"}}, False),
        ("entry empty mapping", {**direct, "cell_spec_id": "c", "mapping": {}}, True),
        ("entry parameters and a pipeline", {**direct, "pipeline_id": "r1", "parameters": {"a": 1}}, True),
        ("entry named with a mapping alone", {**direct, "name": "DirectEntry", "mapping": {"x": "y"}}, True),
        ("calculation unknown", {"element_type": "calculation", "calculation": "NoSuchCalculation"}, True),
        ("calculation unnamed", {"element_type": "calculation", "electrode": "positive"}, True),
        ("calculation by type", {"element_type": "calculation", "type": "ElectrodeCapacity", "electrode": "positive"}, False),
    ]
    out = [{"label": l, "element": e, "accepted": accepted(e), "mustCatch": m} for l, e, m in cases]
    print(json.dumps(out, default=str))


def derive_doc():
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        derive.main()
    return buf.getvalue()


if __name__ == "__main__":
    main()
