-- SPEC §2.7 intake counts, pre-aggregated per batch on the partner's row (which every storing transaction
-- already locks): accepted = last_sequence (usage events only), duplicates, rejected (records rejected with
-- this partner as their claim; also the per-partner number of its latest ingest_rejection row), controls.
alter table ingest_partner
    add column duplicates bigint not null default 0 check (duplicates >= 0),
    add column rejected   bigint not null default 0 check (rejected >= 0),
    add column controls   bigint not null default 0 check (controls >= 0);

-- Every rejected record (both ways in), written in the transaction that publishes it on
-- revshare.usage.rejected, so a partner can list its rejections (SPEC §2.7). claim_sequence numbers a
-- claim partner's rejections gaplessly in commit order (taken under the partner's row lock): it orders
-- the list and is the cursor. Rows without a claim partner are kept for operators (no partner lists them).
create table ingest_rejection (
    id               bigserial    primary key,
    claim_partner_id varchar(63),
    claim_sequence   bigint,
    received_at      timestamptz  not null,
    reason           varchar(32)  not null,
    detail           text         not null,
    partner_id       varchar(63),            -- the rejection record's key on the rejected topic
    event_id         varchar(128),
    size             bigint       not null check (size >= 0),
    sha256           char(64)     not null,
    channel          varchar(8)   not null, -- KAFKA or HTTP
    kafka_topic      varchar(249),
    kafka_partition  int,
    kafka_offset     bigint,
    unique (claim_partner_id, claim_sequence),
    check ((claim_partner_id is null) = (claim_sequence is null))
);
create index ingest_rejection_received_at on ingest_rejection (received_at);

-- The next offset to process per partition of a consumed raw topic, written in the same transaction as
-- what the records produced (offsets stored with the data): a record below it was already processed and
-- is not processed again, whatever Kafka's committed offset says after a rebalance or a failed commit.
create table ingest_consumer_offset (
    group_id    varchar(255) not null,
    topic       varchar(249) not null,
    partition   int          not null,
    next_offset bigint       not null check (next_offset >= 0),
    primary key (group_id, topic, partition)
);

-- Partner records that could not be read from revshare.partners: kept, never skipped silently.
create table ingest_unreadable_partner_record (
    topic       varchar(249) not null,
    partition   int          not null,
    record_offset bigint     not null,
    record_key  bytea,
    value       bytea,
    error       text         not null,
    first_seen  timestamptz  not null default now(),
    primary key (topic, partition, record_offset)
);
