// What the server echoes back (recorded from mage-ai 0.9.80) must normalise to
// exactly what a minimal declaration normalises to: no spurious diffs.
import { describe, expect, it } from "vitest";
import type { BlockEnvelope, PipelineEnvelope, ScheduleEnvelope } from "../../provider/backends/mage/api";
import { blockFromRemote, normalizeBlock } from "../../provider/backends/mage/block";
import { normalizePipeline, pipelineFromRemote } from "../../provider/backends/mage/pipeline";
import { normalizeSchedule, scheduleFromRemote } from "../../provider/backends/mage/schedule";
import { normalizeTime } from "../../provider/backends/mage/time";
import blockCreateJson from "../fixtures/mage/block-create.json";
import blockDetailJson from "../fixtures/mage/block-detail.json";
import pipelineDetailJson from "../fixtures/mage/pipeline-detail.json";
import scheduleDetailJson from "../fixtures/mage/schedule-detail.json";

// Recorded JSON reads as plain strings; the API types say which values the code expects.
const blockCreate = blockCreateJson as unknown as BlockEnvelope;
const blockDetail = blockDetailJson as unknown as BlockEnvelope;
const pipelineDetail = pipelineDetailJson as unknown as PipelineEnvelope;
const scheduleDetail = scheduleDetailJson as unknown as ScheduleEnvelope;

describe("Mage pipeline normalisation", () => {
  it("server defaults equal a declaration that leaves them out", () => {
    expect(pipelineFromRemote(pipelineDetail.pipeline)).toEqual(normalizePipeline({ name: "fixture pipe" }));
  });

  it("treats tags as a set and sorts variable keys", () => {
    expect(normalizePipeline({ name: "p", tags: ["b", "a", "b"], variables: { z: 1, a: "x" } })).toEqual({
      name: "p",
      type: "python",
      description: "",
      tags: ["a", "b"],
      variables: { a: "x", z: 1 },
      retryConfig: {},
      concurrencyConfig: {},
      executorType: null,
      runPipelineInOneProcess: false,
      cacheBlockOutputInMemory: false,
      settings: {},
    });
  });

  it("run settings Mage leaves unset read as the declaration that leaves them out", () => {
    // What GET /api/pipelines/{uuid} answers for a pipeline nobody configured (Mage 0.9.80).
    const fresh = {
      uuid: "p",
      name: "p",
      type: "python" as const,
      retry_config: {},
      concurrency_config: {},
      executor_type: null,
      run_pipeline_in_one_process: false,
      cache_block_output_in_memory: false,
      settings: { triggers: null },
    };
    expect(pipelineFromRemote(fresh)).toEqual(normalizePipeline({ name: "p" }));
    expect(
      pipelineFromRemote({ ...fresh, settings: { triggers: { save_in_code_automatically: true } } }).settings,
    ).toEqual({ triggers: { save_in_code_automatically: true } });
  });
});

describe("Mage block normalisation", () => {
  const declared = normalizeBlock({ pipeline: "fixture pipe", name: "load", type: "data_loader", code: "x = 1\n" });

  it("the detail read equals the declaration", () => {
    expect(blockFromRemote("fixture_pipe", blockDetail.block)).toEqual(declared);
  });

  it("the create answer equals the declaration", () => {
    expect(blockFromRemote("fixture_pipe", blockCreate.block)).toEqual(declared);
  });

  it("accepts upstream names or uuids alike", () => {
    const byName = normalizeBlock({ pipeline: "P", name: "t", type: "transformer", code: "", upstream: ["Load Data"] });
    const byUuid = normalizeBlock({ pipeline: "p", name: "t", type: "transformer", code: "", upstream: ["load_data"] });
    expect(byName).toEqual(byUuid);
  });

  it("keeps upstream order (Mage keeps it) and code byte for byte", () => {
    const b = normalizeBlock({ pipeline: "p", name: "t", type: "transformer", code: "a\r\n", upstream: ["b", "a"] });
    expect(b.upstream).toEqual(["b", "a"]);
    expect(b.code).toBe("a\r\n");
  });
});

describe("Mage schedule normalisation", () => {
  it("naive server datetimes equal the declared ISO time", () => {
    const declared = normalizeSchedule({
      pipeline: "fixture pipe",
      name: "nightly",
      type: "time",
      interval: "0 3 * * *",
      startTime: "2030-01-01T06:00:00Z",
    });
    expect(scheduleFromRemote(scheduleDetail.pipeline_schedule)).toEqual(declared);
  });

  it.each([
    ["2030-01-01 06:00:00", "2030-01-01T06:00:00Z"],
    ["2030-01-01 06:00:00.123456", "2030-01-01T06:00:00Z"],
    ["2030-01-01T08:00:00+02:00", "2030-01-01T06:00:00Z"],
    ["2030-01-01", "2030-01-01T00:00:00Z"],
    [undefined, ""],
  ])("time %j → %j", (input, out) => {
    expect(normalizeTime(input)).toBe(out);
  });

  it("defaults to an inactive trigger, as Mage creates them", () => {
    expect(normalizeSchedule({ pipeline: "p", name: "h", type: "api" }).status).toBe("inactive");
  });
});
