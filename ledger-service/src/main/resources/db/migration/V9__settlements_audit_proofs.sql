-- SPEC v2 §3.8 settlements, §3.9 audit trail, §4 append-only, §4.1 proofs, §2.7 watermark of older data.

-- §3.8: payment terms beside name and currency
alter table ledger_partner add column payment_terms_days integer not null default 30
    check (payment_terms_days between 0 and 365);

-- §4 v2: a PAYMENT entry carries its payment id, the date the money arrived and the optional reference.
alter table ledger_entry add column payment_id varchar(64);
alter table ledger_entry add column received_on date;
alter table ledger_entry add column reference text;
-- the idempotency key of a payment is enforced by the database, not by a read-then-write
create unique index ledger_entry_payment on ledger_entry (partner_id, payment_id) where payment_id is not null;
-- an entry is reversed at most once
drop index ledger_entry_reverses;
create unique index ledger_entry_reversed_once on ledger_entry (reverses_entry_id) where reverses_entry_id is not null;

-- §3.9: the audit record {at, actor, action, partnerId, subject, memo, before, after}. Rows written before
-- this version keep their command and detail; their action and subject are derived here so they stay readable.
alter table audit_log add column action varchar(32);
alter table audit_log add column subject text;
alter table audit_log add column memo text;
alter table audit_log add column before_value jsonb;
alter table audit_log add column after_value jsonb;
update audit_log set action = case command
        when 'CreatePartner' then 'PARTNER_CREATED'
        when 'UpdatePartner' then 'PARTNER_UPDATED'
        when 'AddAgreementVersion' then 'AGREEMENT_ADDED'
        when 'SetFxRate' then 'FX_RATE_SET'
        when 'ClosePeriod' then 'PERIOD_CLOSED'
        when 'PostAdjustment' then 'ADJUSTMENT_POSTED'
        when 'WriteOff' then 'EVENT_WRITTEN_OFF'
        when 'RetryUnprocessable' then 'UNPROCESSABLE_RETRIED'
        else command end,
    subject = case command
        when 'AddAgreementVersion' then detail ->> 'version'
        when 'SetFxRate' then (detail ->> 'date') || ' ' || (detail ->> 'base') || '/' || (detail ->> 'quote')
        when 'ClosePeriod' then detail ->> 'period'
        when 'PostAdjustment' then detail ->> 'sequence'
        when 'WriteOff' then detail ->> 'eventId'
        else partner_id end,
    memo = case when command in ('PostAdjustment', 'WriteOff') then detail ->> 'memo' end,
    after_value = detail;
alter table audit_log alter column action set not null;
create index audit_log_at on audit_log (recorded_at, id);
create index audit_log_partner_at on audit_log (partner_id, recorded_at, id);

-- §4 and §3.9: entries and audit records are append-only in the database itself. A statement-level trigger
-- refuses every UPDATE, DELETE and TRUNCATE, whoever runs it (the service's own code included).
create function revshare_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'revshare: % is append-only; % refused', tg_table_name, tg_op using errcode = 'P0001';
end
$$;
create trigger ledger_entry_append_only before update or delete or truncate on ledger_entry
    for each statement execute function revshare_append_only();
create trigger audit_log_append_only before update or delete or truncate on audit_log
    for each statement execute function revshare_append_only();

-- §4.1 replay: the order in which a partner's inputs were decided. Every transaction that asks the decider
-- about a partner (a usage batch, an agreement version, a chunk of re-rating or pending rating, a close, an
-- adjustment, a write-off, a payment) takes a step number while it holds the partner's lock and records its
-- command here; a usage batch's events carry the step and their position in the batch, an FX rate the step
-- taken under the locks of the partners settling in its quote currency. Steps of one partner are therefore
-- in decision order, and a replay can present the same inputs to the decider in the same order.
create sequence ledger_step_seq;
create table ledger_input (
    step bigint primary key,
    partner_id varchar(63) not null,
    kind varchar(24) not null,
    input jsonb,
    at timestamptz not null
);
create index ledger_input_partner on ledger_input (partner_id, step);
create trigger ledger_input_append_only before update or delete or truncate on ledger_input
    for each statement execute function revshare_append_only();
alter table usage_event add column step bigint;
alter table usage_event add column step_ordinal integer;
create index usage_event_step on usage_event (partner_id, step, step_ordinal) where step is not null;
alter table fx_rate add column step bigint;

-- §2.7: a ledger whose events were stored before V8 has no watermark rows (or rows stuck below events
-- stored before V8). The watermark is derivable from usage_event.ingest_sequence: recompute it.
create function revshare_seed_ingest_watermark() returns void language plpgsql as $$
begin
    create temporary table seeded on commit drop as
    with seqs as (select distinct partner_id, ingest_sequence as s from usage_event where ingest_sequence is not null),
         ranked as (select partner_id, s, row_number() over (partition by partner_id order by s) as rn from seqs)
    select partner_id, coalesce(max(s) filter (where s = rn), 0) as wm, max(s) as mx from ranked group by partner_id;
    delete from ingest_ahead a using seeded w where a.partner_id = w.partner_id;
    insert into ingest_ahead (partner_id, ingest_sequence)
        select distinct u.partner_id, u.ingest_sequence from usage_event u join seeded w using (partner_id)
        where u.ingest_sequence > w.wm;
    insert into ingest_watermark (partner_id, ingest_sequence, max_seen, ahead_count)
        select w.partner_id, w.wm, w.mx, (select count(*) from ingest_ahead a where a.partner_id = w.partner_id)
        from seeded w
    on conflict (partner_id) do update set ingest_sequence = excluded.ingest_sequence,
        max_seen = excluded.max_seen, ahead_count = excluded.ahead_count;
    drop table seeded;
end
$$;
select revshare_seed_ingest_watermark();

-- operator read API of unreadable records, newest first
create index unreadable_record_received on unreadable_record (received_at, id);
