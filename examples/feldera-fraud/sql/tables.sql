-- Card transactions and the cards they are made with.
CREATE TABLE transactions (
    id BIGINT NOT NULL PRIMARY KEY,
    card_id BIGINT NOT NULL,
    merchant VARCHAR NOT NULL,
    amount DECIMAL(12, 2) NOT NULL,
    country CHAR(2) NOT NULL,
    ts TIMESTAMP NOT NULL LATENESS INTERVAL 1 HOUR
);

CREATE TABLE cards (
    card_id BIGINT NOT NULL PRIMARY KEY,
    home_country CHAR(2) NOT NULL,
    daily_limit DECIMAL(12, 2) NOT NULL
);
