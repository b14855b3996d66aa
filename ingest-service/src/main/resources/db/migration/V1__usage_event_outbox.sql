-- Per-partner ingest sequence. A transaction that stores events locks its partners' rows (in
-- partner order) and allocates the next numbers, so sequences are gapless and commit in order
-- per partner: the relay can publish "everything up to last_sequence" without ever skipping a row.
create table ingest_partner (
    partner_id    varchar(63) primary key,
    last_sequence bigint not null default 0 check (last_sequence >= 0)
);

-- Every accepted usage event, normalised, with its raw bytes for audit and replay. It is at once
-- the dedupe (primary key = SPEC §2.3 idempotency key) and the outbox (published in
-- ingest_sequence order past ingest_relay_watermark).
create table usage_event (
    partner_id       varchar(63)   not null,
    event_id         varchar(128)  not null,
    ingest_sequence  bigint        not null check (ingest_sequence >= 1),
    event_time       varchar(40)   not null, -- canonical UTC instant (ISO-8601, nanosecond precision kept)
    model            varchar(128)  not null,
    metric           varchar(16)   not null,
    quantity         bigint        not null check (quantity between 0 and 1000000000000000),
    revenue_amount   numeric(26,8),
    revenue_currency char(3),
    region           varchar(64),
    source           text          not null,
    received_at      timestamptz   not null,
    submitted_at     timestamptz   not null, -- Kafka record timestamp or HTTP receipt: start of the end-to-end lag
    channel          varchar(8)    not null, -- KAFKA or HTTP
    raw              bytea,                  -- null once purged (see README: retention)
    primary key (partner_id, event_id),
    unique (partner_id, ingest_sequence),
    check ((revenue_amount is null) = (revenue_currency is null))
);

-- How far the relay has published each partner's outbox rows to revshare.usage.accepted.
create table ingest_relay_watermark (
    partner_id         varchar(63) primary key,
    published_sequence bigint not null check (published_sequence >= 0)
);
