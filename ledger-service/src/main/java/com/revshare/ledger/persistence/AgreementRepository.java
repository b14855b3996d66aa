package com.revshare.ledger.persistence;

import com.revshare.ledger.application.AgreementVersions;
import com.revshare.ledger.application.RulesJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ledger.domain.AgreementVersion;

/** Agreement versions (immutable once added; the rules are stored as {@link RulesJson}). */
@ApplicationScoped
public class AgreementRepository implements AgreementVersions {
    @Inject
    ObjectMapper json;

    // ---- agreements ----

    /** All versions of the given partners, by partner, in version order. */
    @Override
    public Map<String, List<AgreementVersion>> versions(Connection c, Collection<String> partnerIds)
            throws SQLException {
        Map<String, List<AgreementVersion>> result = new HashMap<>();
        if (partnerIds.isEmpty()) {
            return result;
        }
        try (PreparedStatement ps = c.prepareStatement("select * from agreement_version where partner_id = any (?) "
                + "order by partner_id, version")) {
            ps.setArray(1, Sql.texts(c, partnerIds));
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    AgreementVersion v = new AgreementVersion(rs.getInt("version"), Sql.instant(rs, "effective_from"),
                            Sql.instant(rs, "effective_to"), Sql.trimmed(rs, "currency"),
                            rs.getBigDecimal("monthly_minimum"), rs.getBigDecimal("monthly_cap"),
                            RulesJson.fromJson(json.readTree(rs.getString("rules"))), rs.getString("actor"),
                            Sql.instant(rs, "created_at"));
                    result.computeIfAbsent(rs.getString("partner_id"), k -> new ArrayList<>()).add(v);
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("stored rules unreadable", e);
            }
        }
        return result;
    }

    void insertVersion(Connection c, WriteSet.VersionRow row) throws SQLException {
        AgreementVersion v = row.version();
        try (PreparedStatement ps = c.prepareStatement("insert into agreement_version (partner_id, version, "
                + "effective_from, effective_to, currency, monthly_minimum, monthly_cap, rules, actor, created_at) "
                + "values (?, ?, ?::timestamptz, ?::timestamptz, ?, ?, ?, ?::jsonb, ?, ?::timestamptz)")) {
            ps.setString(1, row.partnerId());
            ps.setInt(2, v.version());
            ps.setString(3, v.effectiveFrom().toString());
            ps.setString(4, v.effectiveTo() == null ? null : v.effectiveTo().toString());
            ps.setString(5, v.currency());
            ps.setBigDecimal(6, v.monthlyMinimum());
            ps.setBigDecimal(7, v.monthlyCap());
            ps.setString(8, RulesJson.toText(json, v.rules()));
            ps.setString(9, v.actor());
            ps.setString(10, v.createdAt().toString());
            Sql.count();
            ps.executeUpdate();
        }
    }
}
