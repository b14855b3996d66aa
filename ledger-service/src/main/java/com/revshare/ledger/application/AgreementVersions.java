package com.revshare.ledger.application;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.revshare.ledger.domain.AgreementVersion;

/**
 * The stored agreement versions of partners.
 * A port that application owns; persistence implements it (plain JDBC on the caller's transactional
 * connection).
 */
public interface AgreementVersions {
    /** All versions of the given partners, by partner, in version order. */
    Map<String, List<AgreementVersion>> versions(Connection c, Collection<String> partnerIds)
            throws SQLException;
}
