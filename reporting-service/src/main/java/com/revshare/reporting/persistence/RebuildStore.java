package com.revshare.reporting.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;

import com.revshare.reporting.application.RebuildRepository;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The rebuild's tables and generations: {@code rebuild_run} (history), the generation schemas
 * ({@link ReadModels}), the switch of {@code active_read_model}, and a PostgreSQL advisory lock
 * so one rebuild runs at a time across instances.
 */
@ApplicationScoped
public class RebuildStore implements RebuildRepository {
    private static final Logger LOG = Logger.getLogger(RebuildStore.class);
    private static final long ADVISORY_LOCK_KEY = 0x7265706f7274L; // "report"

    private final AgroalDataSource dataSource;
    private final ReadModels readModels;

    public RebuildStore(AgroalDataSource dataSource, ReadModels readModels) {
        this.dataSource = dataSource;
        this.readModels = readModels;
    }

    @Override
    public Optional<Lock> tryLock() {
        Connection lock;
        try {
            lock = dataSource.getConnection();
            boolean acquired;
            try (PreparedStatement p = lock.prepareStatement("select pg_try_advisory_lock(?)")) {
                p.setLong(1, ADVISORY_LOCK_KEY);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    acquired = rs.getBoolean(1);
                }
            }
            if (!acquired) {
                lock.close();
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the rebuild lock", e);
        }
        return Optional.of(() -> {
            try (lock; PreparedStatement p = lock.prepareStatement("select pg_advisory_unlock(?)")) {
                p.setLong(1, ADVISORY_LOCK_KEY);
                p.execute();
            } catch (SQLException e) {
                LOG.warnf("could not release the rebuild lock: %s", e.getMessage());
            }
        });
    }

    @Override
    public Generation createGeneration() {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                String previous = readModels.active(c);
                return new Generation(readModels.createGeneration(c), previous);
            }
        });
    }

    @Override
    public List<SettledRun> settleInterruptedRuns() {
        try (Connection c = dataSource.getConnection()) {
            String active = readModels.active(c);
            List<SettledRun> stale = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "select id, target_schema from rebuild_run where state in ('RUNNING', 'SWITCHING')")) {
                while (rs.next()) {
                    stale.add(new SettledRun(rs.getLong(1), rs.getString(2), rs.getString(2).equals(active)));
                }
            }
            for (SettledRun run : stale) {
                try (PreparedStatement p = c.prepareStatement("update rebuild_run set state = ?, "
                        + "finished_at = coalesce(finished_at, now()), error = ? where id = ?")) {
                    p.setString(1, run.switched() ? "COMPLETED" : "FAILED");
                    p.setString(2, "interrupted: the instance running it stopped"
                            + (run.switched() ? " after the switch" : "; generation dropped"));
                    p.setLong(3, run.id());
                    p.executeUpdate();
                }
                if (!run.switched()) {
                    readModels.drop(c, run.target());
                }
            }
            return stale;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot settle interrupted rebuilds", e);
        }
    }

    @Override
    public long recordRun(String target, String previous, Instant started) {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
                "insert into rebuild_run (target_schema, previous_schema, state, started_at) "
                        + "values (?, ?, 'RUNNING', ?) returning id")) {
            p.setString(1, target);
            p.setString(2, previous);
            p.setObject(3, OffsetDateTime.ofInstant(started, ZoneOffset.UTC));
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the rebuild", e);
        }
    }

    @Override
    public void finishRun(long runId, String state, Instant finished, long applied, long read, String error) {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
                "update rebuild_run set state = ?, finished_at = ?, entries_applied = ?, records_read = ?, "
                        + "error = ? where id = ?")) {
            p.setString(1, state);
            p.setObject(2, OffsetDateTime.ofInstant(finished, ZoneOffset.UTC));
            p.setLong(3, applied);
            p.setLong(4, read);
            p.setString(5, error);
            p.setLong(6, runId);
            p.executeUpdate();
        } catch (SQLException e) {
            LOG.warnf("could not record the end of rebuild %d: %s", runId, e.getMessage());
        }
    }

    @Override
    public void switchTo(String target, Runnable catchUp) {
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection conn = dataSource.getConnection()) {
                String active = readModels.activeForUpdate(conn);
                catchUp.run();
                verifyCoverage(conn, active, target);
                readModels.activate(conn, target);
            } catch (SQLException e) {
                throw new IllegalStateException("switch failed", e);
            }
        });
    }

    /**
     * The new generation must have applied every partner at least as far as the active one
     * (else the topic lost entries, e.g. to retention).
     */
    private static void verifyCoverage(Connection c, String active, String target) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select a.partner_id, a.applied_sequence, coalesce(t.applied_sequence, 0) from "
                        + ReadModels.checked(active) + ".partner_cursor a left join " + ReadModels.checked(target)
                        + ".partner_cursor t on t.partner_id = a.partner_id "
                        + "where coalesce(t.applied_sequence, 0) < a.applied_sequence limit 5")) {
            if (rs.next()) {
                throw new IllegalStateException("the topic does not hold every applied entry: partner "
                        + rs.getString(1) + " is at sequence " + rs.getLong(2) + " in " + active + " but "
                        + rs.getLong(3) + " in " + target);
            }
        }
    }

    @Override
    public List<String> dropOldGenerations(String active, int keep) {
        List<String> dropped = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            Set<String> onceActive = new HashSet<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "select previous_schema from rebuild_run where previous_schema is not null "
                            + "union select target_schema from rebuild_run where state = 'COMPLETED'")) {
                while (rs.next()) {
                    onceActive.add(rs.getString(1));
                }
            }
            List<String> generations = new ArrayList<>(readModels.generations(c));
            generations.remove(active);
            List<String> kept = new ArrayList<>();
            for (int i = generations.size() - 1; i >= 0; i--) {
                String g = generations.get(i);
                if (kept.size() < Math.max(0, keep) && onceActive.contains(g)) {
                    kept.add(g);
                    continue;
                }
                readModels.drop(c, g);
                dropped.add(g);
            }
        } catch (SQLException e) {
            LOG.warn("could not drop old read-model generations", e);
        }
        return dropped;
    }

    @Override
    public void dropUnlessActive(String target) {
        try (Connection c = dataSource.getConnection()) {
            if (!target.equals(readModels.active(c))) {
                readModels.drop(c, target);
            }
        } catch (Exception e) {
            LOG.warnf("could not drop the unfinished generation %s: %s", target, e.getMessage());
        }
    }
}
