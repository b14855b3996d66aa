package com.revshare.ingest.domain;

/**
 * How what ingest received compares with a control (SPEC §2.6): {@code MATCHED} when every difference is 0;
 * else {@code SHORT} when fewer events arrived than reported, {@code OVER} when more, {@code MISMATCH} when
 * the counts agree but a sum differs.
 */
public enum ControlStatus {
    MATCHED,
    SHORT,
    OVER,
    MISMATCH
}
