"""A daily orders pipeline on Mage and a fraud view on Feldera, declared in Python.

The same kinds, rules and server calls as the TypeScript classes and YAML files:
the pulumi_pipelines SDK talks to the pipelines provider plugin.
"""
import pulumi
from pulumi_pipelines import feldera, mage

config = pulumi.Config()
description = config.get("description") or "Daily orders, declared in Python"

orders = mage.Pipeline(
    "orders",
    name="py orders",
    description=description,
    tags=["orders", "python"],
    # A reference, resolved by the plugin from stack config pipelines:secrets or the environment.
    variables={"region": "eu", "orders_api_token": {"secret": "ORDERS_API_TOKEN"}},
)

fetch = mage.Block(
    "fetch-orders",
    pipeline=orders.name,
    name="fetch_orders",
    type="data_loader",
    code_file="blocks/fetch_orders.py",
)
drop = mage.Block(
    "drop-empty",
    pipeline=orders.name,
    name="drop_empty",
    type="transformer",
    code_file="blocks/drop_empty.py",
    upstream=[fetch.name],
)
mage.Block(
    "write-orders",
    pipeline=orders.name,
    name="write_orders",
    type="data_exporter",
    code_file="blocks/write_orders.py",
    upstream=[drop.name],
)

daily = mage.Schedule(
    "orders-daily",
    pipeline=orders.name,
    name="daily",
    type="time",
    interval="@daily",
    start_time="2030-01-01T06:00:00Z",
    status="active",
)

fraud = feldera.Pipeline(
    "fraud",
    name="py-fraud",
    description="Large payments, as a view",
    blocks=[
        {"name": "payments", "sql": "CREATE TABLE payments (id INT, amount DECIMAL(10, 2));"},
        {"name": "large", "sql": "CREATE MATERIALIZED VIEW large_payments AS SELECT * FROM payments WHERE amount > 1000;"},
    ],
)

pulumi.export("pipeline_uuid", orders.uuid)
pulumi.export("schedule_id", daily.schedule_id)
pulumi.export("fraud_status", fraud.program_status)
