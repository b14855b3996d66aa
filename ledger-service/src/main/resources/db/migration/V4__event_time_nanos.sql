-- Event times keep nanoseconds (RFC 3339 allows any fraction and ingest forwards it), but timestamptz
-- holds microseconds and PostgreSQL rounds finer fractions: 2026-06-30T23:59:59.9999999Z would become
-- July. event_time now holds the instant truncated to the microsecond (so month and day ranges stay
-- exact) and event_time_nanos the remaining 0..999 nanoseconds.
alter table usage_event add column event_time_nanos smallint not null default 0;
alter table ledger_entry add column event_time_nanos smallint not null default 0;
