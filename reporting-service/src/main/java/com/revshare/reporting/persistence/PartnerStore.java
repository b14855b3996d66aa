package com.revshare.reporting.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

import com.revshare.reporting.application.PartnerRepository;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

/** The partner registry (public.partner), fed from the compacted topic revshare.partners. */
@ApplicationScoped
public class PartnerStore implements PartnerRepository {
    private final AgroalDataSource dataSource;

    public PartnerStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Upserts the latest record of each partner, in one transaction. */
    @Override
    public void upsert(Collection<Partner> partners) {
        if (partners.isEmpty()) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
                    "insert into partner (partner_id, name, currency, status, payment_terms_days, updated_at) "
                            + "select *, now() from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::int[]) "
                            + "on conflict (partner_id) do update set name = excluded.name, "
                            + "currency = excluded.currency, status = excluded.status, "
                            + "payment_terms_days = excluded.payment_terms_days, updated_at = now()")) {
                p.setArray(1, c.createArrayOf("text", partners.stream().map(Partner::partnerId).toArray()));
                p.setArray(2, c.createArrayOf("text", partners.stream().map(Partner::name).toArray()));
                p.setArray(3, c.createArrayOf("text", partners.stream().map(Partner::currency).toArray()));
                p.setArray(4, c.createArrayOf("text", partners.stream().map(Partner::status).toArray()));
                p.setArray(5, c.createArrayOf("int", partners.stream().map(Partner::paymentTermsDays).toArray()));
                p.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot store partners", e);
            }
        });
    }
}
