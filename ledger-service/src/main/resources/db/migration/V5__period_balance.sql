-- Per partner and period: the exact sum of money entries, the event count (USAGE and LATE_USAGE minus
-- REVERSAL) and closedAt. A projection of ledger_entry kept in the writing transaction (one batched
-- upsert per transaction) so the balance reads a row per period instead of aggregating every entry;
-- rebuildable at any time with the insert below.
create table period_balance (
    partner_id varchar(63) not null,
    period char(7) not null,
    total numeric(40, 8) not null,
    event_count bigint not null,
    closed_at timestamptz,
    primary key (partner_id, period)
);

insert into period_balance (partner_id, period, total, event_count, closed_at)
select partner_id, period, coalesce(sum(amount) filter (where kind <> 'PERIOD_CLOSED'), 0),
       count(*) filter (where kind in ('USAGE', 'LATE_USAGE')) - count(*) filter (where kind = 'REVERSAL'),
       max(closed_at)
from ledger_entry group by partner_id, period;
