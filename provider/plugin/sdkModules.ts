// gRPC and protobuf as the SDK itself loads them: its dependencies, not ours,
// so they are found from the SDK's folder whatever the install's layout, and
// the protocol modules (@pulumi/pulumi/proto) and the server share one copy.
// The plugin archive's bundle (scripts/pluginArchive.ts) replaces this file
// with static requires resolved from the same folder.
import * as path from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as emptyTypes from "google-protobuf/google/protobuf/empty_pb";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";

function ofSdk<T>(name: string): T {
  const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  return require(require.resolve(name, { paths: [sdk] }));
}

export const grpc = ofSdk<typeof grpcTypes>("@grpc/grpc-js");
export const structproto = ofSdk<typeof structTypes>("google-protobuf/google/protobuf/struct_pb");
export const emptyproto = ofSdk<typeof emptyTypes>("google-protobuf/google/protobuf/empty_pb");
