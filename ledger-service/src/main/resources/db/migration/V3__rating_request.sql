-- A partner whose rating or re-rating is pending (SPEC §3.5 "completes any rating or re-rating still
-- pending"): written in the transaction of the command that makes it pending (a new agreement
-- version, an FX rate that parked events wait for), removed once the work is done in chunked
-- transactions. A crash in between leaves the row, and the sweeper or the next close finishes it.
create table rating_request (
    partner_id varchar(63) primary key references ledger_partner (partner_id),
    rerate boolean not null,
    actor text,
    requested_at timestamptz not null
);
