// Mage's three error shapes map onto one error type with the server's message
// (recorded bodies from mage-ai 0.9.80), and credentials never survive in text.
import { describe, expect, it } from "vitest";
import { rawToken } from "../../provider/backends/mage/client";
import { isAlreadyExists, isNotFound, mageError } from "../../provider/backends/mage/errors";
import { PipelineApiError } from "../../provider/http/client";
import { redact } from "../../provider/http/redact";
import apiBody from "../fixtures/mage/error-api.json";
import authBody from "../fixtures/mage/error-auth.json";
import blockMissing from "../fixtures/mage/error-block-missing.json";
import exceptionBody from "../fixtures/mage/error-exception.json";

describe("Mage error mapping", () => {
  it("an exception body (HTTP 200) yields its exception line, not the traceback", () => {
    const e = mageError("GET", "/api/pipelines/nope", 200, exceptionBody.error, []);
    expect(e).toBeInstanceOf(PipelineApiError);
    expect(e.message).toBe("mage GET /api/pipelines/nope → 500 [500]: Pipeline nope does not exist.");
    expect(isNotFound(e)).toBe(true);
  });

  it("an ApiError body is matched on its type, not its (possibly stale) message", () => {
    const e = mageError("GET", "/api/pipeline_schedules/99999", 200, apiBody.error, []);
    expect(e.code).toBe("record_not_found");
    expect(isNotFound(e)).toBe(true);
  });

  it("a block missing from a pipeline is a not-found", () => {
    expect(isNotFound(mageError("GET", "/x", 200, blockMissing.error, []))).toBe(true);
  });

  it("an auth failure is neither not-found nor exists", () => {
    const e = mageError("GET", "/api/pipelines", 401, authBody.error, []);
    expect(e.status).toBe(401);
    expect(e.code).toBe("invalid_api_key");
    expect(isNotFound(e) || isAlreadyExists(e)).toBe(false);
  });

  it("recognises a name collision", () => {
    const e = mageError(
      "POST",
      "/api/pipelines",
      200,
      { code: 500, exception: "Pipeline My ETL-1 already exists." },
      [],
    );
    expect(isAlreadyExists(e)).toBe(true);
  });

  it("redacts known secrets from server messages", () => {
    const e = mageError("POST", "/api/sessions", 200, { code: 500, exception: "bad password s3cr3t-pw for admin" }, [
      "s3cr3t-pw",
    ]);
    expect(e.message).not.toContain("s3cr3t-pw");
    expect(e.message).toContain("[redacted]");
  });
});

describe("redact", () => {
  it("removes JWTs and credential headers whatever their spelling", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJ0b2tlbiI6ImFiY2RlZmdoIn0.c2lnbmF0dXJlLXZhbHVl";
    const text = `token ${jwt}; OAUTH-TOKEN: raw123456; {"x-api-key": "k-999999"}; Authorization=Bearer`;
    const out = redact(text);
    expect(out).not.toContain(jwt);
    expect(out).not.toContain("raw123456");
    expect(out).not.toContain("k-999999");
  });

  it("leaves short or empty secrets alone rather than shredding text", () => {
    expect(redact("a b c", ["", "b"])).toBe("a b c");
  });
});

describe("session token", () => {
  it("extracts the raw token from the session JWT payload", () => {
    const payload = Buffer.from(JSON.stringify({ expires: 1, token: "raw-token-1" })).toString("base64url");
    expect(rawToken(`eyJhbGciOiJIUzI1NiJ9.${payload}.sig`)).toBe("raw-token-1");
  });
});
