-- Records reporting read but cannot apply (issue 10: nothing dropped silently). One table for every
-- consumer, in public: a rebuild replays the same records into a new generation, and the unique key
-- (where it was read + why) keeps one row per record however often it is read again (re-delivery,
-- rebuild, the partner registry re-read at every start). An operator's acknowledgement survives
-- rebuilds for the same reason.
--   reason UNREADABLE_ENTRY    a revshare.ledger.entries record that is not a ledger entry reporting can hold
--          CONFLICTING_ENTRY   a re-delivery whose content differs from the entry known for its sequence
--          UNREADABLE_PARTNER  a revshare.partners record that is not a partner reporting can store
--          PARTNER_TOMBSTONE   a revshare.partners tombstone (reporting never deletes a partner)
create table held_record (
    id               bigserial primary key,
    reason           varchar(32) not null,
    topic            text        not null,
    kafka_partition  integer     not null,
    kafka_offset     bigint      not null,
    record_key       text,
    partner_id       varchar(63),
    sequence         bigint,
    error            text        not null,
    raw              text,
    raw_size         integer,
    held_at          timestamptz not null default now(),
    acknowledged_at  timestamptz,
    acknowledged_by  text,
    acknowledge_memo text,
    unique (topic, kafka_partition, kafka_offset, reason)
);
create index on held_record (partner_id, sequence);
create index on held_record (acknowledged_at) where acknowledged_at is null;

-- what earlier versions kept per generation moves here (the per-generation table stays, unused)
do $$
declare
    s text;
begin
    for s in select schema_name from information_schema.schemata where schema_name ~ '^rm_[0-9]{1,9}$' loop
        execute format($m$
            insert into held_record (reason, topic, kafka_partition, kafka_offset, record_key, error, raw, held_at)
            select 'UNREADABLE_ENTRY', topic, kafka_partition, kafka_offset, record_key, error, raw, received_at
            from %I.invalid_record on conflict do nothing$m$, s);
    end loop;
end
$$;

-- SPEC §3.8: a partner's payment terms (days after the month that follows a period), from revshare.partners
alter table partner add column payment_terms_days integer not null default 30;
