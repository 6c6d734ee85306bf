// The provider plugin's gRPC side: the engine's ResourceProvider service,
// served with the SDK's own generated protocol modules and gRPC library, each
// call handed to the adapter (provider.ts). The SDK's provider host
// (@pulumi/pulumi/provider main()) is not used: its Configure answers without
// passing the config on (provider/server.js in 3.248.0), so targets and
// secrets would never reach the kinds.
import type * as grpcTypes from "@grpc/grpc-js";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";
import { redact } from "../http/redact";
import { PipelinesPlugin } from "./pipelinesPlugin";
import { emptyproto, grpc, structproto } from "./sdkModules";
import { configVariables, typeOfUrn } from "./wire";

type Props = Record<string, unknown>;
type Callback = (error: Partial<grpcTypes.ServiceError> | null, value?: unknown) => void;

/** As a protobuf Struct, which holds JSON only: an unset (undefined) property is left out, as JSON leaves it. */
const struct = (value: Props | undefined) =>
  structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(value ?? {})) as never);
const plain = (s: structTypes.Struct | undefined): Props => (s?.toJavaScript() ?? {}) as Props;

/** Serves the plugin; resolves with the port, which the engine reads from stdout. */
export async function serve(version: string, schema: () => string): Promise<number> {
  const plugin = new PipelinesPlugin();
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });

  // Each call: the adapter's answer, or its error with credentials masked.
  const handle =
    <Req, Res>(fn: (req: Req) => Promise<Res>) =>
    (call: { request: Req }, callback: Callback) => {
      fn(call.request).then(
        (res) => callback(null, res),
        (e: unknown) =>
          callback({ code: grpc.status.UNKNOWN, details: redact(e instanceof Error ? e.message : String(e)) }),
      );
    };

  const service = {
    getPluginInfo: handle(async () => new plugproto.PluginInfo().setVersion(version)),
    getSchema: handle(async () => new provproto.GetSchemaResponse().setSchema(schema())),
    cancel: handle(async () => new emptyproto.Empty()),
    attach: handle(async () => new emptyproto.Empty()),
    checkConfig: handle(async (req: provproto.CheckRequest) => new provproto.CheckResponse().setInputs(req.getNews())),
    diffConfig: handle(async (req: provproto.DiffRequest) => {
      const same = JSON.stringify(plain(req.getOlds())) === JSON.stringify(plain(req.getNews()));
      return new provproto.DiffResponse().setChanges(
        same ? provproto.DiffResponse.DiffChanges.DIFF_NONE : provproto.DiffResponse.DiffChanges.DIFF_SOME,
      );
    }),
    configure: handle(async (req: provproto.ConfigureRequest) => {
      await plugin.configure(configVariables(req.getVariablesMap().getEntryList()));
      // No preview calls of create/update: the kinds show a preview through check's plan and diff.
      return new provproto.ConfigureResponse()
        .setAcceptsecrets(true)
        .setSupportspreview(false)
        .setAcceptresources(false)
        .setAcceptoutputs(false);
    }),
    check: handle(async (req: provproto.CheckRequest) => {
      const { inputs, failures } = await plugin.check(
        typeOfUrn(req.getUrn()),
        plain(req.getOlds()),
        plain(req.getNews()),
      );
      return new provproto.CheckResponse()
        .setInputs(struct(inputs))
        .setFailuresList(failures.map((f) => new provproto.CheckFailure().setProperty(f.property).setReason(f.reason)));
    }),
    diff: handle(async (req: provproto.DiffRequest) => {
      const d = await plugin.diff(typeOfUrn(req.getUrn()), req.getId(), plain(req.getOlds()), plain(req.getNews()));
      const changes = provproto.DiffResponse.DiffChanges;
      return new provproto.DiffResponse()
        .setChanges(d.changes ? changes.DIFF_SOME : changes.DIFF_NONE)
        .setReplacesList(d.replaces ?? [])
        .setDeletebeforereplace(!!d.deleteBeforeReplace);
    }),
    create: handle(async (req: provproto.CreateRequest) => {
      const { id, outs } = await plugin.create(typeOfUrn(req.getUrn()), plain(req.getProperties()));
      return new provproto.CreateResponse().setId(id).setProperties(struct(outs));
    }),
    read: handle(async (req: provproto.ReadRequest) => {
      const found = await plugin.read(typeOfUrn(req.getUrn()), req.getId(), plain(req.getProperties()));
      const res = new provproto.ReadResponse().setId(found.id);
      if (found.props) res.setProperties(struct(found.props));
      if (found.inputs) res.setInputs(struct(found.inputs));
      return res;
    }),
    update: handle(async (req: provproto.UpdateRequest) => {
      const outs = await plugin.update(
        typeOfUrn(req.getUrn()),
        req.getId(),
        plain(req.getOlds()),
        plain(req.getNews()),
      );
      return new provproto.UpdateResponse().setProperties(struct(outs));
    }),
    delete: handle(async (req: provproto.DeleteRequest) => {
      await plugin.delete(typeOfUrn(req.getUrn()), req.getId(), plain(req.getProperties()));
      return new emptyproto.Empty();
    }),
  };

  server.addService(provrpc.ResourceProviderService as never, service as never);
  return new Promise((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, port) =>
      e ? reject(e) : resolve(port),
    ),
  );
}
