-- SPEC §2.6 control events: one row per accepted control, in the same idempotency id space as usage_event
-- (every writer checks both tables under the partner's row lock, so an id is claimed once across both).
-- A control takes no ingest_sequence and is never published: the ledger does not see it.
create table control_event (
    partner_id     varchar(63)   not null,
    event_id       varchar(128)  not null,
    source         text          not null,
    event_time     varchar(40)   not null, -- the control's time (reportedAt), canonical UTC instant
    window_from    timestamptz   not null,
    window_to      timestamptz   not null,
    event_count    bigint        not null check (event_count between 0 and 1000000000000),
    input_tokens   bigint        not null default 0 check (input_tokens >= 0),
    output_tokens  bigint        not null default 0 check (output_tokens >= 0),
    requests       bigint        not null default 0 check (requests >= 0),
    revenue        jsonb         not null, -- {"USD": "123.45000000", ...} as the control names it, scale 8
    received_at    timestamptz   not null,
    channel        varchar(8)    not null,
    raw            bytea,
    primary key (partner_id, event_id),
    check (window_from < window_to)
);
create index control_event_window on control_event (partner_id, window_from, event_id);

-- Per (partner, UTC hour of the event time) totals of the accepted unique usage events, upserted in the
-- transaction that accepts them (one statement per batch, pre-aggregated in memory): a control over 744
-- hours reads at most 744 rows of each table, never the events.
create table ingest_hourly_usage (
    partner_id    varchar(63)   not null,
    hour          timestamptz   not null,
    event_count   bigint        not null check (event_count >= 0),
    input_tokens  numeric(38,0) not null,
    output_tokens numeric(38,0) not null,
    requests      numeric(38,0) not null,
    primary key (partner_id, hour)
);

create table ingest_hourly_revenue (
    partner_id varchar(63)   not null,
    hour       timestamptz   not null,
    currency   char(3)       not null,
    amount     numeric(38,8) not null,
    primary key (partner_id, hour, currency)
);
