"""Drives a Feldera server through Feldera's own Python SDK (PyPI `feldera`).

Run by test/conformance/feldera-sdk.test.ts against the emulator; every SDK
call that fails is an emulator bug. Written from the SDK's documented public
API (FelderaClient, PipelineBuilder, Pipeline), not from the provider.
Prints one line per step; exits non-zero with the traceback on the first
failure. FELDERA_HOST and FELDERA_API_KEY are read by the SDK itself.
"""

from feldera import FelderaClient, PipelineBuilder, Pipeline
from feldera.enums import PipelineStatus, StorageStatus, ProgramStatus
from feldera.rest.errors import FelderaAPIError
from feldera.runtime_config import RuntimeConfig
from flow import run, step


SQL = """
CREATE TABLE orders (id INT NOT NULL, amount DOUBLE);
CREATE MATERIALIZED VIEW big_orders AS SELECT * FROM orders WHERE amount > 100;
"""
FAST = dict(timeout_s=60)


def main():
    client = FelderaClient(timeout=60)
    step("config")
    assert client.get_config().version, "server version"

    step("validate_program ok")
    ok = client.validate_program(SQL)
    assert "Success" in ok, ok
    step("validate_program sql error")
    bad = client.validate_program("SELEC 1;")
    assert "SqlError" in bad, bad
    assert bad["SqlError"]["info"]["messages"], bad

    step("create and wait for compile")
    builder = PipelineBuilder(
        client,
        "sdk-orders",
        SQL,
        description="orders over 100",
        tags=["team-a", "env-test"],
        runtime_config=RuntimeConfig(workers=2),
    )
    p = builder.create()
    assert p.program_status() == ProgramStatus.Success, p.program_status()
    assert p.tags() == ["env-test", "team-a"], p.tags()
    assert p.description() == "orders over 100", p.description()
    assert [t.name for t in p.tables()] == ["orders"], [t.name for t in p.tables()]
    assert [v.name for v in p.views()] == ["big_orders"], [v.name for v in p.views()]
    assert p.runtime_config().workers == 2, p.runtime_config()

    step("create refuses an existing name")
    try:
        builder.create()
        raise AssertionError("second create succeeded")
    except RuntimeError as e:
        assert "already exists" in str(e), e

    step("get and list")
    again = Pipeline.get("sdk-orders", client)
    assert again.name == "sdk-orders"
    assert "sdk-orders" in [x.name for x in Pipeline.all(client)]

    step("start")
    p.start(**FAST)
    assert p.status() == PipelineStatus.RUNNING, p.status()
    assert p.storage_status() == StorageStatus.INUSE, p.storage_status()

    step("ad-hoc query of a materialized view (no input yet: no rows)")
    assert list(p.query("SELECT * FROM big_orders LIMIT 5")) == []

    step("ad-hoc query of a relation the program lacks is refused")
    try:
        list(p.query("SELECT * FROM no_such_view LIMIT 5"))
        raise AssertionError("queried a view that does not exist")
    except FelderaAPIError:
        pass

    step("modify description and tags while running")
    p.modify(description="big orders", tags=["team-b"])
    assert p.description() == "big orders", p.description()
    assert p.tags() == ["team-b"], p.tags()

    step("modify program while running is refused")
    try:
        p.modify(sql=SQL + "\nCREATE VIEW all_orders AS SELECT * FROM orders;")
        raise AssertionError("modify while running succeeded")
    except FelderaAPIError as e:
        assert e.error_code == "UpdateRestrictedToStopped", e.error_code

    step("pause")
    p.pause(**FAST)
    assert p.status() == PipelineStatus.PAUSED, p.status()

    step("resume")
    p.resume(**FAST)
    assert p.status() == PipelineStatus.RUNNING, p.status()

    step("stop (force)")
    p.stop(force=True, **FAST)
    assert p.status() == PipelineStatus.STOPPED, p.status()

    step("ad-hoc query of a stopped pipeline is refused")
    try:
        list(p.query("SELECT * FROM big_orders LIMIT 5"))
        raise AssertionError("queried a stopped pipeline")
    except FelderaAPIError as e:
        assert e.error_code == "PipelineInteractionNotDeployed", e.error_code

    step("delete refused while storage in use")
    try:
        p.delete()
        raise AssertionError("delete with storage in use succeeded")
    except FelderaAPIError as e:
        assert e.error_code == "DeleteRestrictedToClearedStorage", e.error_code

    step("start paused, then resume")
    p.start_paused(**FAST)
    assert p.status() == PipelineStatus.PAUSED, p.status()
    p.resume(**FAST)
    assert p.status() == PipelineStatus.RUNNING, p.status()

    step("create_or_replace a running pipeline")
    replaced = PipelineBuilder(
        client,
        "sdk-orders",
        SQL + "\nCREATE VIEW all_orders AS SELECT * FROM orders;",
        description="replaced",
    ).create_or_replace()
    assert replaced.status() == PipelineStatus.STOPPED, replaced.status()
    assert replaced.storage_status() == StorageStatus.CLEARED, replaced.storage_status()
    assert replaced.program_status() == ProgramStatus.Success, replaced.program_status()
    assert sorted(v.name for v in replaced.views()) == ["all_orders", "big_orders"]
    assert replaced.tags() == [], replaced.tags()
    assert replaced.description() == "replaced", replaced.description()

    step("a SQL error surfaces on create")
    try:
        PipelineBuilder(client, "sdk-broken", "SELEC 1;").create_or_replace()
        raise AssertionError("broken SQL compiled")
    except RuntimeError as e:
        assert "failed to compile" in str(e), e
    broken = Pipeline.get("sdk-broken", client)
    assert broken.program_status() == ProgramStatus.SqlError, broken.program_status()

    step("starting a pipeline that failed to compile is refused")
    try:
        broken.start(**FAST)
        raise AssertionError("started a broken pipeline")
    except FelderaAPIError as e:
        assert e.error_code == "CannotStartWithCompilationError", e.error_code

    step("fix the SQL, start")
    fixed = PipelineBuilder(client, "sdk-broken", SQL).create_or_replace()
    fixed.start(**FAST)
    assert fixed.status() == PipelineStatus.RUNNING, fixed.status()

    step("stop, clear storage, delete")
    for name in ["sdk-orders", "sdk-broken"]:
        q = Pipeline.get(name, client)
        q.stop(force=True, **FAST)
        q.clear_storage(timeout_s=60)
        assert q.storage_status() == StorageStatus.CLEARED, q.storage_status()
        q.delete()
    names = [x.name for x in Pipeline.all(client)]
    assert "sdk-orders" not in names and "sdk-broken" not in names, names

    step("a deleted pipeline reads as not found")
    try:
        Pipeline.get("sdk-orders", client)
        raise AssertionError("deleted pipeline still found")
    except FelderaAPIError as e:
        assert e.status_code == 404, e.status_code


if __name__ == "__main__":
    run(main)
