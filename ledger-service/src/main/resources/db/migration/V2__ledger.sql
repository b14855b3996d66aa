-- The ledger's store. Append-only tables: agreement_version, usage_event (the inbox and the
-- idempotency key), ledger_entry (the event stream of money AND the outbox), fx_rate, write_off,
-- audit_log. Derived state, rebuildable from those: partner_ledger_state (sequence allocator and
-- per-partner lock, last closed period), tier_counter, usage_event.rating_state columns.
-- outbox_watermark is the relay's progress.

alter table ledger_partner add column created_at timestamptz not null default now();
alter table ledger_partner add column updated_at timestamptz not null default now();

-- One row per partner; its row lock serialises every writer of the partner's stream.
create table partner_ledger_state (
    partner_id varchar(63) primary key references ledger_partner (partner_id),
    last_sequence bigint not null default 0,
    last_closed_period char(7)
);

-- What the relay has published to revshare.ledger.entries; separate so the relay never waits on a writer's lock.
create table outbox_watermark (
    partner_id varchar(63) primary key references ledger_partner (partner_id),
    published_sequence bigint not null default 0
);

create table agreement_version (
    partner_id varchar(63) not null references ledger_partner (partner_id),
    version integer not null,
    effective_from timestamptz not null,
    effective_to timestamptz,
    currency char(3) not null,
    monthly_minimum numeric,
    monthly_cap numeric,
    rules jsonb not null,
    actor text not null,
    created_at timestamptz not null,
    primary key (partner_id, version)
);

-- Accepted usage events; the primary key is the idempotency key (SPEC §2.3, issue 3 item 3).
create table usage_event (
    partner_id varchar(63) not null,
    event_id varchar(128) not null,
    event_time timestamptz not null,
    model varchar(128) not null,
    metric varchar(32) not null,
    quantity bigint not null,
    revenue_amount numeric,
    revenue_currency char(3),
    region varchar(64),
    received_at timestamptz not null,
    -- projection of the stream: RATED, UNRATED or WRITTEN_OFF, with the parking reason
    rating_state varchar(16) not null,
    unrated_reason varchar(32),
    primary key (partner_id, event_id)
);
create index usage_event_unrated on usage_event (partner_id, event_time) where rating_state = 'UNRATED';

create table ledger_entry (
    partner_id varchar(63) not null,
    sequence bigint not null,
    entry_id uuid not null unique,
    period char(7) not null,
    kind varchar(24) not null,
    amount numeric(40, 8) not null,
    currency char(3) not null,
    usage_event_id varchar(128),
    model varchar(128),
    metric varchar(32),
    quantity bigint,
    revenue_amount numeric,
    revenue_currency char(3),
    fx_rate numeric,
    settlement_revenue numeric,
    agreement_version integer,
    rule_id varchar(128),
    reverses_entry_id uuid,
    original_period char(7),
    memo text,
    actor text,
    closed_at timestamptz,
    event_time timestamptz,
    posted_at timestamptz not null,
    -- optimistic concurrency: two writers can never hold the same sequence of a partner
    primary key (partner_id, sequence)
);
create index ledger_entry_period on ledger_entry (partner_id, period);
create index ledger_entry_event on ledger_entry (partner_id, usage_event_id) where usage_event_id is not null;
create index ledger_entry_reverses on ledger_entry (reverses_entry_id) where reverses_entry_id is not null;

-- Per partner, month, (agreement version, rule): the cumulative tier basis (SPEC §3.2). A cache of
-- sum(quantity or settlement_revenue) over USAGE and REVERSAL entries of tiered rules.
create table tier_counter (
    partner_id varchar(63) not null,
    period char(7) not null,
    agreement_version integer not null,
    rule_id varchar(128) not null,
    basis numeric not null,
    primary key (partner_id, period, agreement_version, rule_id)
);

create table fx_rate (
    rate_date date not null,
    base char(3) not null,
    quote char(3) not null,
    rate numeric not null,
    actor text not null,
    created_at timestamptz not null,
    primary key (rate_date, base, quote)
);

create table write_off (
    partner_id varchar(63) not null,
    event_id varchar(128) not null,
    memo text not null,
    actor text not null,
    written_off_at timestamptz not null,
    primary key (partner_id, event_id)
);

create table audit_log (
    id bigserial primary key,
    actor text not null,
    command varchar(64) not null,
    partner_id varchar(63),
    detail jsonb not null,
    recorded_at timestamptz not null
);
