-- SPEC §3.6 v2: an accepted event the ledger cannot process is parked as UNPROCESSABLE, never skipped.
-- It lives in usage_event like every other accepted event (so the primary key still makes a re-delivery a
-- duplicate) with rating_state 'UNPROCESSABLE', the cause in detail and the record as it arrived in raw
-- (what the retry reads again). Its interpreted columns are null where the value could not be read or
-- stored (e.g. a time in year 0, which timestamptz cannot hold).
alter table usage_event alter column event_time drop not null;
alter table usage_event alter column model drop not null;
alter table usage_event alter column metric drop not null;
alter table usage_event alter column quantity drop not null;
alter table usage_event add column detail text;
alter table usage_event add column raw text;
-- ingest's gapless per-partner number of the event (SPEC §2.7), for the ledger's completeness watermark
alter table usage_event add column ingest_sequence bigint;
create index usage_event_unprocessable on usage_event (partner_id, received_at) where rating_state = 'UNPROCESSABLE';

-- A record of revshare.usage.accepted that does not even name a partner and an event id: it cannot be
-- parked under a partner, so it is kept here (durable and visible: this row, a metric and an ERROR log)
-- and its partition moves on. The value is kept as its size, SHA-256 and a bounded prefix.
create table unreadable_record (
    id bigserial primary key,
    topic text not null,
    kafka_partition integer not null,
    kafka_offset bigint not null,
    record_key text,
    size_bytes integer not null,
    sha256 char(64) not null,
    value_prefix text,
    detail text not null,
    received_at timestamptz not null,
    unique (topic, kafka_partition, kafka_offset)
);
