-- SPEC v2 §3.8/§4: PAYMENT entries are no charge; the receivables report and statement settlements
-- allocate them to billed (CLOSED) periods. Each read-model generation gets a payment table, filled
-- by the same batches as the rest; create_read_model now adds it to every new generation.
create function read_model_v3(target text) returns void
    language plpgsql as
$$
begin
    if target !~ '^rm_[0-9]{1,9}$' then
        raise exception 'bad read model schema name %', target;
    end if;
    execute format($ddl$
        create table if not exists %I.payment (
            partner_id  varchar(63)    not null,
            sequence    bigint         not null,
            received_on date           not null,
            amount      numeric(38, 8) not null,
            currency    char(3)        not null,
            primary key (partner_id, sequence)
        )$ddl$, target);
    execute format('create index if not exists payment_received_on on %I.payment (partner_id, received_on)',
        target);
end
$$;

alter function create_read_model(text) rename to create_read_model_v1;

create function create_read_model(target text) returns void
    language plpgsql as
$$
begin
    perform create_read_model_v1(target);
    perform read_model_v3(target);
end
$$;

do $$
declare
    s text;
begin
    for s in select schema_name from information_schema.schemata where schema_name ~ '^rm_[0-9]{1,9}$' loop
        perform read_model_v3(s);
    end loop;
end
$$;
