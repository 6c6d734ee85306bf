-- Payments over 1000, kept up to date as payments arrive.
CREATE MATERIALIZED VIEW large_payments AS SELECT * FROM payments WHERE amount > 1000;
