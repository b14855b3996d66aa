-- Issue 14: fewer index entries per applied entry. Each index of a generation's entry table and the
-- query that needs it:
--   primary key (partner_id, sequence)       the entries API without filters (ReportQueries.entries:
--                                            partner_id = ? and sequence > ? order by sequence limit ?),
--                                            and one row per sequence (a second COPY of it fails the batch)
--   (partner_id, period, sequence)           the statement's proof (every entry of a partner's period in
--                                            sequence order) and the entries API with ?period=
--   entry_kind_not_usage (partner_id, kind, sequence) where kind <> 'USAGE'
--                                            the entries API with ?kind= of a rare kind (PAYMENT for the
--                                            dashboard's payments, LATE_USAGE, REVERSAL …): without it such a
--                                            page scans all of a partner's entries. ?kind=USAGE needs no index:
--                                            nearly every entry is one, so the primary key's order finds a page
--                                            at once. USAGE entries, the bulk, no longer get an entry in it.
-- The full (partner_id, kind, sequence) index of V1 is dropped.
--
-- The aggregates are read by period across partners, which their primary keys (partner first) do not
-- serve; without these a query reads the whole table, which grows with every partner and month:
--   period_total_period (period)             the period overview (ReportQueries.overview: period_total
--                                            where period = ?)
--   usage_line_period (period, partner_id, metric)
--                                            the overview's quantities (usage_line where period = ?
--                                            group by partner_id, metric)
--   summary_cell_period (period)             the summary over a from/to range for every partner
--                                            (ReportQueries.summary: summary_cell where period between …)
-- Their key columns never change once a row exists, so the batches' additive updates stay HOT.
--
-- period_proof: per (partner, booking period) the SPEC §4.1 proof in progress: entries so far, first
-- and last sequence, and SHA-256's running state (domain.ResumableSha256), extended by each batch in the
-- same transaction as its entries, so a statement reads one row instead of hashing every entry of the
-- period. A period without a row (entries written before this migration, or by a tool bypassing the
-- projection) is hashed from its entries once: by the projection when it next touches the period, or by
-- the first statement, which stores the result (a row the projection writes always wins).
create function read_model_v4(target text) returns void
    language plpgsql as
$$
begin
    if target !~ '^rm_[0-9]{1,9}$' then
        raise exception 'bad read model schema name %', target;
    end if;
    execute format('drop index if exists %I.entry_partner_id_kind_sequence_idx', target);
    execute format('create index if not exists period_total_period on %I.period_total (period)', target);
    execute format('create index if not exists usage_line_period on %I.usage_line (period, partner_id, metric)',
        target);
    execute format('create index if not exists summary_cell_period on %I.summary_cell (period)', target);
    execute format($ddl$
        create table if not exists %I.period_proof (
            partner_id     varchar(63) not null,
            period         char(7)     not null,
            entry_count    bigint      not null,
            first_sequence bigint      not null,
            last_sequence  bigint      not null,
            sha256_state   bytea       not null,
            primary key (partner_id, period)
        )$ddl$, target);
    execute format('create index if not exists entry_kind_not_usage on %I.entry (partner_id, kind, sequence) where kind <> ''USAGE''',
        target);
end
$$;

alter function create_read_model(text) rename to create_read_model_v3;

create function create_read_model(target text) returns void
    language plpgsql as
$$
begin
    perform create_read_model_v3(target);
    perform read_model_v4(target);
end
$$;

do $$
declare
    s text;
begin
    for s in select schema_name from information_schema.schemata where schema_name ~ '^rm_[0-9]{1,9}$' loop
        perform read_model_v4(s);
    end loop;
end
$$;
