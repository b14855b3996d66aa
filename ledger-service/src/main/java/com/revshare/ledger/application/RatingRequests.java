package com.revshare.ledger.application;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Pending rating and re-rating requests (durable across a crash between a command and its completion).
 * A port that application owns; persistence implements it (plain JDBC on the caller's transactional
 * connection).
 */
public interface RatingRequests {
    /** A partner whose rating (and, with {@code rerate}, re-rating) is pending. */
    record RatingRequest(String partnerId, boolean rerate, String actor, Instant requestedAt) {
    }

    /** Records (or widens) the partner's pending request, in the caller's transaction. */
    void requestRating(Connection c, String partnerId, boolean rerate, String actor, Instant now)
            throws SQLException;

    Optional<RatingRequest> ratingRequest(Connection c, String partnerId) throws SQLException;

    /** Every pending request (null) or the partner's. */
    List<RatingRequest> ratingRequests(Connection c, String partnerId) throws SQLException;

    /** Removes the request unless it was renewed after {@code requestedAt}. */
    void clearRatingRequest(Connection c, String partnerId, Instant requestedAt) throws SQLException;
}
