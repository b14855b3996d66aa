package com.revshare.reporting.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The read-model generations: schemas {@code rm_<n>} created by the Flyway-defined function
 * {@code create_read_model}, and the one row of {@code active_read_model} naming the generation in
 * use. Writers to the active generation hold that row FOR SHARE for their transaction; a rebuild's
 * switch takes it FOR UPDATE, so no live batch can commit into the old generation after the switch
 * has read the topic's end offsets.
 */
@ApplicationScoped
public class ReadModels {
    private static final Pattern SCHEMA = Pattern.compile("rm_[0-9]{1,9}");

    /** A schema name safe to put in SQL text (it is checked, never taken from a client). */
    public static String checked(String schema) {
        if (schema == null || !SCHEMA.matcher(schema).matches()) {
            throw new IllegalStateException("not a read-model schema: " + schema);
        }
        return schema;
    }

    /** The active generation, locked against a switch until the caller's transaction ends. */
    public String activeForShare(Connection c) throws SQLException {
        return active(c, "select schema_name from active_read_model where id = 1 for share");
    }

    /** The active generation, for readers (a switched-away generation stays readable a while). */
    public String active(Connection c) throws SQLException {
        return active(c, "select schema_name from active_read_model where id = 1");
    }

    /** The active generation, locked against live writers until the caller's transaction ends. */
    public String activeForUpdate(Connection c) throws SQLException {
        return active(c, "select schema_name from active_read_model where id = 1 for update");
    }

    private static String active(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new IllegalStateException("no active read model");
            }
            return checked(rs.getString(1));
        }
    }

    /** Creates an empty generation and returns its schema name. */
    public String createGeneration(Connection c) throws SQLException {
        String schema;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select 'rm_' || nextval('read_model_generation')")) {
            rs.next();
            schema = checked(rs.getString(1));
        }
        try (PreparedStatement p = c.prepareStatement("select create_read_model(?)")) {
            p.setString(1, schema);
            p.execute();
        }
        return schema;
    }

    /** Points readers and the live consumer at {@code schema} (caller holds the row FOR UPDATE). */
    public void activate(Connection c, String schema) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "update active_read_model set schema_name = ?, activated_at = now() where id = 1")) {
            p.setString(1, checked(schema));
            p.executeUpdate();
        }
    }

    /** All generations present, oldest first. */
    public List<String> generations(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select nspname from pg_namespace where nspname ~ '^rm_[0-9]{1,9}$' "
                        + "order by substring(nspname from 4)::bigint")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    public void drop(Connection c, String schema) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + checked(schema) + " cascade");
        }
    }
}
