-- Spend per card and day, kept up to date as transactions arrive.
CREATE MATERIALIZED VIEW daily_spend AS
    SELECT card_id, CAST(ts AS DATE) AS day, SUM(amount) AS total, COUNT(*) AS n
    FROM transactions
    GROUP BY card_id, CAST(ts AS DATE);

-- Transactions abroad on a card that is over its daily limit: likely fraud.
CREATE MATERIALIZED VIEW suspicious AS
    SELECT t.id, t.card_id, t.amount, t.country, t.ts
    FROM transactions t
    JOIN cards c ON c.card_id = t.card_id
    JOIN daily_spend d ON d.card_id = t.card_id AND d.day = CAST(t.ts AS DATE)
    WHERE t.country <> c.home_country AND d.total > c.daily_limit;
