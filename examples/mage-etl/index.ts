// A daily ETL on Mage: load orders from an API, clean them, write a CSV.
// Each block's code lives in ./blocks, so reviewers see real Python diffs.
import { mage } from "pulumi-pipelines";

const pipeline = new mage.Pipeline("orders-etl", {
  name: "orders etl",
  description: "Daily orders: API → cleaned frame → CSV export",
  tags: ["orders", "managed-by-pulumi"],
  variables: { source_url: "https://example.com/orders.csv", min_amount: 0 },
});

const load = new mage.Block("load-orders", {
  pipeline,
  name: "load_orders",
  type: "data_loader",
  codeFile: "blocks/load_orders.py",
});

const clean = new mage.Block("clean-orders", {
  pipeline,
  name: "clean_orders",
  type: "transformer",
  codeFile: "blocks/clean_orders.py",
  upstream: [load],
});

new mage.Block("export-orders", {
  pipeline,
  name: "export_orders",
  type: "data_exporter",
  codeFile: "blocks/export_orders.py",
  upstream: [clean],
});

const daily = new mage.Schedule("orders-daily", {
  pipeline,
  name: "daily",
  type: "time",
  interval: "@daily",
  startTime: "2030-01-01T06:00:00Z",
  status: "active",
  settings: { skip_if_previous_running: true },
});

export const pipelineUuid = pipeline.uuid;
export const scheduleId = daily.scheduleId;
