"""Bootstrapping and deployment errors, driven through Feldera's Python SDK.

Against an Enterprise server (fault tolerance on, so the pipeline checkpoints
while it runs): a pipeline started again after its program changed waits for
approval (the default policy), bootstraps when approved or when started with
`allow`, and fails with a deployment error when started with `reject`; the
error is dismissed by the next start. Run by feldera-sdk.test.ts.
"""

import time

from feldera import FelderaClient, PipelineBuilder, Pipeline
from feldera.enums import BootstrapPolicy, FaultToleranceModel, PipelineStatus, ProgramStatus
from feldera.rest.feldera_config import FelderaEdition
from feldera.runtime_config import RuntimeConfig
from flow import run, step


SQL = "CREATE TABLE t (x INT) WITH ('materialized' = 'true');\nCREATE MATERIALIZED VIEW v AS SELECT x FROM t;\n"
FAST = dict(timeout_s=60)


def compiled(p):
    """Waits on the SDK's program_status() for the new program to compile."""
    deadline = time.monotonic() + 60
    while p.program_status() != ProgramStatus.Success:
        assert time.monotonic() < deadline, p.program_status()
        time.sleep(0.2)


def main():
    client = FelderaClient(timeout=60)
    assert client.get_config().edition == FelderaEdition.ENTERPRISE, client.get_config().edition

    step("create with fault tolerance, start: checkpoints while running")
    p = PipelineBuilder(
        client,
        "sdk-bootstrap",
        SQL,
        runtime_config=RuntimeConfig(workers=1, fault_tolerance_model=FaultToleranceModel.ExactlyOnce),
    ).create()
    p.start(**FAST)
    assert p.status() == PipelineStatus.RUNNING, p.status()

    step("program changed: the default policy waits for approval")
    p.stop(force=True, **FAST)
    p.modify(sql=SQL + "CREATE MATERIALIZED VIEW w AS SELECT x + 1 AS y FROM t;\n")
    compiled(p)
    p.start(**FAST)
    assert p.status() == PipelineStatus.AWAITINGAPPROVAL, p.status()

    step("approve: bootstraps, then runs")
    p.approve()
    p.wait_for_status(PipelineStatus.RUNNING, timeout=60)

    step("program changed again, started with reject: a deployment error")
    p.stop(force=True, **FAST)
    p.modify(sql=SQL)
    compiled(p)
    try:
        p.start(bootstrap_policy=BootstrapPolicy.REJECT, **FAST)
        raise AssertionError("a rejected bootstrap started")
    except RuntimeError as e:
        assert "rejected" in str(e), e
    q = Pipeline.get("sdk-bootstrap", client)
    assert q.status() == PipelineStatus.STOPPED, q.status()
    assert q.deployment_error()["error_code"] == "BootstrapRejected", q.deployment_error()

    step("start with allow: the error is dismissed, it bootstraps and runs")
    p.start(bootstrap_policy=BootstrapPolicy.ALLOW, **FAST)
    assert p.status() == PipelineStatus.RUNNING, p.status()
    assert not Pipeline.get("sdk-bootstrap", client).deployment_error()

    step("the policy cannot change while started")
    try:
        client.start_pipeline("sdk-bootstrap", bootstrap_policy=BootstrapPolicy.REJECT, wait=False, dismiss_error=False)
        raise AssertionError("changed the policy of a started pipeline")
    except Exception as e:
        assert "BootstrapPolicyImmutableUnlessStopped" in str(e), e

    step("stop, clear, delete")
    p.stop(force=True, **FAST)
    p.clear_storage(timeout_s=60)
    p.delete()


if __name__ == "__main__":
    run(main)
