-- The Kafka password is a secret reference: Feldera receives its value, the
-- repository and the Pulumi state keep ${secret:KAFKA_PASSWORD}.
CREATE TABLE orders (
    id BIGINT NOT NULL PRIMARY KEY,
    amount DECIMAL(10, 2)
) WITH (
    'connectors' = '[{
        "transport": {
            "name": "kafka_input",
            "config": {
                "bootstrap.servers": "kafka.example.com:9093",
                "topic": "orders",
                "security.protocol": "SASL_SSL",
                "sasl.mechanism": "PLAIN",
                "sasl.username": "orders-reader",
                "sasl.password": "${secret:KAFKA_PASSWORD}"
            }
        },
        "format": {"name": "json"}
    }]'
);

CREATE MATERIALIZED VIEW order_totals AS SELECT COUNT(*) AS orders, SUM(amount) AS total FROM orders;
