-- reporting-service database layout
--
-- public (this migration history): what is not derived from revshare.ledger.entries:
--   partner            the registry, from the compacted topic revshare.partners
--   active_read_model  the one row naming the read-model schema queries and the live consumer use
--   rebuild_run        history of rebuilds
-- rm_<n> (one per generation): the read model itself, derived only from revshare.ledger.entries.
--   A rebuild creates rm_<n+1> with create_read_model(), fills it from offset 0 and switches
--   active_read_model to it; the DDL of a generation lives in that function, so it is Flyway's too.

create table partner (
    partner_id varchar(63) primary key,
    name       text        not null,
    currency   char(3)     not null,
    status     varchar(16) not null,
    updated_at timestamptz not null default now()
);

create table active_read_model (
    id           smallint primary key check (id = 1),
    schema_name  varchar(63) not null,
    activated_at timestamptz not null default now()
);

create sequence read_model_generation start with 2;

create table rebuild_run (
    id              bigserial primary key,
    target_schema   varchar(63) not null,
    previous_schema varchar(63),
    state           varchar(16) not null,
    started_at      timestamptz not null,
    finished_at     timestamptz,
    entries_applied bigint      not null default 0,
    records_read    bigint      not null default 0,
    error           text
);

create function create_read_model(target text) returns void
    language plpgsql as
$$
begin
    if target !~ '^rm_[0-9]{1,9}$' then
        raise exception 'bad read model schema name %', target;
    end if;
    execute format('create schema %I', target);
    -- per partner: the last sequence applied (gapless from 1) and how many later entries wait for a gap
    execute format($ddl$
        create table %I.partner_cursor (
            partner_id       varchar(63) primary key,
            applied_sequence bigint      not null,
            posted_at        text,
            currency         char(3),
            waiting_count    integer     not null default 0,
            gap_expected     bigint,
            gap_since        timestamptz
        )$ddl$, target);
    -- per (partner, booking period): money totals, event count, close status
    execute format($ddl$
        create table %I.period_total (
            partner_id         varchar(63)    not null,
            period             char(7)        not null,
            currency           char(3)        not null,
            usage_amount       numeric(38, 8) not null,
            adjustments_amount numeric(38, 8) not null,
            event_count        bigint         not null,
            entry_count        bigint         not null,
            status             varchar(6)     not null,
            closed_at          text,
            primary key (partner_id, period)
        )$ddl$, target);
    -- statement lines: USAGE + REVERSAL per (partner, period, model, metric)
    execute format($ddl$
        create table %I.usage_line (
            partner_id varchar(63)    not null,
            period     char(7)        not null,
            model      text           not null,
            metric     text           not null,
            quantity   numeric(38, 0) not null,
            revenue    numeric        not null,
            amount     numeric(38, 8) not null,
            primary key (partner_id, period, model, metric)
        )$ddl$, target);
    -- statement adjustments: the other money kinds per (partner, period, kind)
    execute format($ddl$
        create table %I.adjustment_total (
            partner_id varchar(63)    not null,
            period     char(7)        not null,
            kind       varchar(20)    not null,
            amount     numeric(38, 8) not null,
            primary key (partner_id, period, kind)
        )$ddl$, target);
    -- summary cells: every money entry per (partner, period, model, metric); '' = none
    execute format($ddl$
        create table %I.summary_cell (
            partner_id varchar(63)    not null,
            period     char(7)        not null,
            model      text           not null,
            metric     text           not null,
            amount     numeric(38, 8) not null,
            quantity   numeric(38, 0) not null,
            primary key (partner_id, period, model, metric)
        )$ddl$, target);
    -- drill-down: every applied entry in its canonical JSON
    execute format($ddl$
        create table %I.entry (
            partner_id varchar(63) not null,
            sequence   bigint      not null,
            period     char(7)     not null,
            kind       varchar(20) not null,
            payload    text        not null,
            primary key (partner_id, sequence)
        )$ddl$, target);
    execute format('create index on %I.entry (partner_id, period, sequence)', target);
    execute format('create index on %I.entry (partner_id, kind, sequence)', target);
    -- entries that arrived after a gap and wait for the missing sequence
    execute format($ddl$
        create table %I.waiting_entry (
            partner_id  varchar(63) not null,
            sequence    bigint      not null,
            payload     text        not null,
            received_at timestamptz not null default now(),
            primary key (partner_id, sequence)
        )$ddl$, target);
    -- records that could not be read as ledger entries (kept for audit, never applied)
    execute format($ddl$
        create table %I.invalid_record (
            id           bigserial primary key,
            topic        text        not null,
            kafka_partition integer  not null,
            kafka_offset bigint      not null,
            record_key   text,
            error        text        not null,
            raw          text,
            received_at  timestamptz not null default now()
        )$ddl$, target);
end
$$;

select create_read_model('rm_1');
insert into active_read_model (id, schema_name) values (1, 'rm_1');
