package com.revshare.ledger.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.revshare.ledger.application.RatingRequests;

/** Pending rating and re-rating requests (one per partner), completed in chunks after their command. */
@ApplicationScoped
public class RatingRequestRepository implements RatingRequests {
    // ---- pending rating requests ----

    /** Records (or widens) the partner's pending request, in the caller's transaction. */
    @Override
    public void requestRating(Connection c, String partnerId, boolean rerate, String actor, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into rating_request (partner_id, rerate, actor, "
                + "requested_at) values (?, ?, ?, ?::timestamptz) on conflict (partner_id) do update set rerate = "
                + "rating_request.rerate or excluded.rerate, actor = excluded.actor, requested_at = "
                + "excluded.requested_at")) {
            ps.setString(1, partnerId);
            ps.setBoolean(2, rerate);
            ps.setString(3, actor);
            ps.setString(4, now.toString());
            Sql.count();
            ps.executeUpdate();
        }
    }

    @Override
    public Optional<RatingRequest> ratingRequest(Connection c, String partnerId) throws SQLException {
        return ratingRequests(c, partnerId).stream().findFirst();
    }

    /** Every pending request (null) or the partner's. */
    @Override
    public List<RatingRequest> ratingRequests(Connection c, String partnerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select partner_id, rerate, actor, requested_at from "
                + "rating_request where ?::text is null or partner_id = ? order by partner_id")) {
            ps.setString(1, partnerId);
            ps.setString(2, partnerId);
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                List<RatingRequest> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(new RatingRequest(rs.getString(1), rs.getBoolean(2), rs.getString(3),
                            Sql.instant(rs, "requested_at")));
                }
                return rows;
            }
        }
    }

    /** Removes the request unless it was renewed after {@code requestedAt}. */
    @Override
    public void clearRatingRequest(Connection c, String partnerId, Instant requestedAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from rating_request where partner_id = ? and "
                + "requested_at <= ?::timestamptz")) {
            ps.setString(1, partnerId);
            ps.setString(2, requestedAt.toString());
            Sql.count();
            ps.executeUpdate();
        }
    }
}
