"""A daily orders pipeline on Mage, a fraud view on Feldera and a parameter run on Ionworks, declared in Python.

The same kinds, rules and server calls as the TypeScript classes and YAML files:
the pulumi_pipelines SDK talks to the pipelines provider plugin.
"""
import pulumi
from pulumi_pipelines import feldera, ionworks, mage

config = pulumi.Config()
description = config.get("description") or "Daily orders, declared in Python"

# A secret in Mage's own store, for blocks to read with get_secret_value: the
# value is a reference, resolved by the plugin from stack config or the environment.
mage.Secret("warehouse-password", name="py_warehouse_password", value={"secret": "WAREHOUSE_PASSWORD"})

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
        # Read by the plugin, relative to the project, on every preview and up: an edit to the file deploys.
        {"name": "large", "sqlFile": "sql/large_payments.sql"},
    ],
)

# A run on Ionworks: its elements in series; the plugin waits until it completes.
capacity = ionworks.Pipeline(
    "cell-capacity",
    name="py-cell-capacity",
    description="Electrode balance of a known cell, declared in Python",
    wait_for="completed",
    blocks=[
        {"name": "known", "type": "entry", "config": {"values": {"Nominal cell capacity [A.h]": 5}}},
        {
            "name": "balance",
            "type": "calculation",
            "config": {"calculation": "ElectrodeVolumeFractionFromLoading", "electrode": "positive", "method": "loading"},
        },
    ],
)

pulumi.export("pipeline_uuid", orders.uuid)
pulumi.export("schedule_id", daily.schedule_id)
pulumi.export("fraud_status", fraud.program_status)
pulumi.export("capacity_status", capacity.status)
