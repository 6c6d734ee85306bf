"""The Ionworks emulator's request validation, done by Ionworks' own schema
package (PyPI `ionworks-schema`), which the SDK documents the backend route
parses pipelines with. One JSON request body per stdin line; one JSON answer
per stdout line: {"errors": [...], "types": {...}}: the errors in FastAPI's
422 item shape (none when the body is valid) and each element's canonical
element_type.

The route's own fields (project_id, options) are checked here as the SDK's
PipelineSubmissionMetadata describes them; element_type aliases are
canonicalized with the package's own table first, as its element registry
says the backend does.
"""

import json
import sys
import warnings

warnings.simplefilter("ignore")

import ionworks_schema as iws  # noqa: E402
from ionworks_schema._element_registry import canonicalize_element_type  # noqa: E402
from pydantic import ValidationError  # noqa: E402


def item(kind, loc, msg, value):
    return {"type": kind, "loc": loc, "msg": msg, "input": value}


def check(body, types):
    if not isinstance(body, dict):
        return [item("dict_type", ["body"], "Input should be a valid dictionary", body)]
    body = dict(body)
    errors = []
    if not body.get("project_id"):
        errors.append(item("missing", ["body", "project_id"], "Field required", None))
    body.pop("project_id", None)
    options = body.pop("options", None)
    if not isinstance(options, dict):
        errors.append(item("dict_type", ["body", "options"], "Input should be a valid dictionary", options))
    elements = body.get("elements")
    if isinstance(elements, dict):
        canonical = {}
        for name, el in elements.items():
            if isinstance(el, dict) and "element_type" in el:
                try:
                    el = {**el, "element_type": canonicalize_element_type(el["element_type"])}
                    types[name] = el["element_type"]
                except ValueError:
                    pass  # the schema reports it
            canonical[name] = el
        body["elements"] = canonical
    try:
        iws.Pipeline.model_validate(body)
    except ValidationError as e:
        for err in e.errors(include_url=False):
            errors.append(item(err["type"], ["body", *err["loc"]], err["msg"], err.get("input")))
    return errors


def main():
    for line in sys.stdin:
        types = {}
        try:
            answer = {"errors": check(json.loads(line), types), "types": types}
        except Exception as e:  # an answer for every line, whatever happens
            answer = {"errors": [item("value_error", ["body"], f"Value error, {e}", None)], "types": {}}
        sys.stdout.write(json.dumps(answer, default=str) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
