// The same declarations as pipelines/secrets.yaml, in TypeScript: a secret in
// Mage's own store, and pipelines whose credentials are references
// ({ secret: NAME }, or ${secret:NAME} in SQL). Each is resolved at deploy time
// from stack config pipelines:secrets.NAME (set with `pulumi config set
// --secret --path 'pipelines:secrets.NAME' …`) or the NAME environment variable;
// the state, previews and reviews keep the references.
import { feldera, mage } from "pulumi-pipelines";

// In Mage's own secrets store; the block below reads it with get_secret_value.
new mage.Secret("warehouse-password", {
  target: "mage",
  name: "warehouse_password",
  value: { secret: "WAREHOUSE_PASSWORD" },
});

const sync = new mage.Pipeline("warehouse-sync", {
  target: "mage",
  name: "warehouse sync",
  description: "Copies the day's orders into the warehouse",
  variables: { warehouse_user: "etl", orders_api_token: { secret: "ORDERS_API_TOKEN" } },
});

new mage.Block("load-orders", {
  target: "mage",
  pipeline: sync,
  name: "load_orders",
  type: "data_loader",
  codeFile: "blocks/load_orders.py",
  configuration: { orders_api: { url: "https://orders.example.com", token: { secret: "ORDERS_API_TOKEN" } } },
});

new mage.Schedule("nightly", {
  target: "mage",
  pipeline: sync,
  name: "nightly",
  type: "time",
  interval: "@daily",
  startTime: "2030-01-01T02:00:00Z",
  variables: { orders_api_token: { secret: "ORDERS_API_TOKEN" } },
});

new feldera.Pipeline("orders-stream", {
  target: "feldera",
  name: "orders-stream",
  description: "Orders from Kafka (SASL credentials by reference)",
  runtimeConfig: { env: { KAFKA_PASSWORD: { secret: "KAFKA_PASSWORD" } } },
  blocks: [{ name: "orders", sqlFile: "sql/orders.sql" }],
});
