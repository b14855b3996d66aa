package com.revshare.ledger.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Immutable;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One row of {@code audit_log} (SPEC §3.9) as a Panache entity: insert-only ({@link Immutable}: Hibernate
 * never issues an UPDATE for it, and the table's {@code revshare_append_only} trigger refuses UPDATE,
 * DELETE and TRUNCATE anyway). The schema is Flyway's; the JSON columns are written as {@code jsonb} by
 * a cast and read back as their text.
 */
@Entity
@Immutable
@Table(name = "audit_log")
public class AuditRecordEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;

    @Column(nullable = false)
    public String actor;

    /** The action again, in the column V2 named {@code command} (kept not null for rows before V9). */
    @Column(nullable = false)
    public String command;

    @Column(nullable = false)
    public String action;

    @Column(name = "partner_id")
    public String partnerId;

    public String subject;

    public String memo;

    /** V2's detail: the after value, or {@code {}}. */
    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "cast(? as jsonb)")
    public String detail;

    @Column(name = "before_value", columnDefinition = "jsonb")
    @ColumnTransformer(write = "cast(? as jsonb)")
    public String beforeValue;

    @Column(name = "after_value", columnDefinition = "jsonb")
    @ColumnTransformer(write = "cast(? as jsonb)")
    public String afterValue;
}
