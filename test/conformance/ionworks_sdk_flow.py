"""Drives an Ionworks server through Ionworks' own Python SDK (PyPI
`ionworks-api`, with the `ionworks-schema` package it builds pipelines with).

Run by test/conformance/ionworks-sdk.test.ts against the emulator, which moves
runs on its own clock; every SDK call that fails is an emulator bug. Written
from the SDK's public API (Ionworks, client.pipeline, ionworks_schema).
IONWORKS_API_KEY, IONWORKS_API_URL and IONWORKS_PROJECT_ID are read by the SDK.
"""

import time
import warnings

warnings.simplefilter("ignore", DeprecationWarning)

import ionworks_schema as iws  # noqa: E402
from ionworks import Ionworks  # noqa: E402
from ionworks.errors import IonworksError  # noqa: E402
from ionworks_schema.direct_entries import DirectEntry  # noqa: E402
from flow import run, step  # noqa: E402


def main():
    client = Ionworks(timeout=60)

    step("create from an ionworks_schema.Pipeline")
    known = DirectEntry(
        parameters={"Ambient temperature [K]": 298.15, "Nominal cell capacity [A.h]": 3.0},
        source="datasheet",
    )
    first = client.pipeline.create(
        iws.Pipeline({"known": known}), name="sdk conformance", description="first run"
    )
    assert first.status in ("pending", "running"), first.status
    assert not first.is_terminal, first

    step("get")
    got = client.pipeline.get(first.id)
    assert got.id == first.id and got.name == "sdk conformance", got

    step("wait for completion")
    done = client.pipeline.wait_for_completion(first.id, timeout=60, poll_interval=1, verbose=False)
    assert done.status == "completed" and done.is_terminal and not done.is_failed, done

    step("result, raw and typed")
    result = client.pipeline.result(first.id)
    assert result.element_results["known"]["parameter_values"]["Nominal cell capacity [A.h]"] == 3.0, result
    typed = result.element("known")
    assert typed.parameter_values["Ambient temperature [K]"] == 298.15, typed

    step("a run that takes another run's results")
    second = client.pipeline.create(
        {"elements": {"from first": DirectEntry(pipeline_id=first.id).to_config()}, "name": "sdk second"}
    )
    client.pipeline.wait_for_completion(second.id, timeout=60, poll_interval=1, verbose=False)
    assert client.pipeline.result(second.id).element_results["from first"]["parameter_values"], "no values"

    step("list, filtered by name")
    page = client.pipeline.list(name="sdk conformance")
    assert [p.id for p in page] == [first.id], [p.id for p in page]
    assert first.id in [p.id for p in client.pipeline.list(limit=10)]

    step("update name and description")
    renamed = client.pipeline.update(first.id, name="sdk renamed", description="renamed")
    assert (renamed.name, renamed.description) == ("sdk renamed", "renamed"), renamed

    step("a pipeline the schema refuses never reaches the server")
    try:
        client.pipeline.create({"elements": {"bad": {"element_type": "entry", "valuez": {}}}})
        raise AssertionError("invalid pipeline accepted")
    except ValueError as e:
        assert "Invalid pipeline configuration" in str(e), e

    step("a failing element fails the run")
    failing = client.pipeline.create(
        {"elements": {"needs missing": DirectEntry(pipeline_id="00000000-0000-0000-0000-000000000000").to_config()}}
    )
    try:
        client.pipeline.wait_for_completion(failing.id, timeout=60, poll_interval=1, verbose=False)
        raise AssertionError("a run on a missing pipeline completed")
    except IonworksError:
        pass
    assert client.pipeline.get(failing.id).is_failed

    step("cancel a run before it finishes")
    # The emulator keeps an element whose source is "emulator:hold" running until the run is canceled.
    held = DirectEntry(parameters={"Ambient temperature [K]": 300.0}, source="emulator:hold")
    slow = client.pipeline.create(iws.Pipeline({"a": known, "held": held}), name="sdk cancel")
    deadline = time.monotonic() + 60
    while "a" not in client.pipeline.result(slow.id).element_results:
        assert time.monotonic() < deadline, "the held run's first element never finished"
        time.sleep(0.1)
    unfinished = client.pipeline.result(slow.id)
    assert unfinished.result == {} and "a" in unfinished.element_results, unfinished
    canceled = client.pipeline.cancel(slow.id)
    assert canceled.status == "canceled" and canceled.is_terminal, canceled

    step("delete, then get is not found")
    for p in (first, second, failing, slow):
        client.pipeline.delete(p.id)
    try:
        client.pipeline.get(first.id)
        raise AssertionError("deleted pipeline still found")
    except IonworksError as e:
        assert e.status_code == 404, e.status_code


if __name__ == "__main__":
    run(main)
