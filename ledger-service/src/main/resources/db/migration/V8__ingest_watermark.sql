-- SPEC §2.7 v2 pipeline completeness. Per partner: ingest_sequence = the largest n such that the partner's
-- accepted events 1 … n are all stored (booked, parked or written off); max_seen = the largest ingest
-- sequence stored; ahead_count = how many distinct sequences above the watermark are stored, each kept in
-- ingest_ahead until the gap below it is filled. The gap is max_seen - ingest_sequence - ahead_count.
-- Without a gap (the normal case) ingest_ahead stays empty and a batch costs one read and one upsert here.
-- No foreign key: events of a partner the ledger does not know yet are accounted for too.
create table ingest_watermark (
    partner_id varchar(63) primary key,
    ingest_sequence bigint not null default 0,
    max_seen bigint not null default 0,
    ahead_count bigint not null default 0
);

create table ingest_ahead (
    partner_id varchar(63) not null,
    ingest_sequence bigint not null,
    primary key (partner_id, ingest_sequence)
);
