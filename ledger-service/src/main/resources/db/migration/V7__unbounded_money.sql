-- SPEC §3.1/§3.7 v2 bound every input so that each entry's amount is below 10^30 (it fits numeric(38,8)
-- downstream), but a period's total and its true-ups add up any number of entries: a fixed precision
-- would make a large enough month fail to book or close. Unconstrained numeric holds any sum exactly;
-- every amount is still written rounded to 8 fraction digits by the application (round8). Dropping the
-- precision is binary-coercible in PostgreSQL: no table rewrite.
alter table ledger_entry alter column amount type numeric;
alter table period_balance alter column total type numeric;
