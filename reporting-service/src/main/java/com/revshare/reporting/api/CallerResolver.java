package com.revshare.reporting.api;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.revshare.reporting.application.ApiProblem;
import com.revshare.reporting.application.Caller;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/** Turns the request's verified token into a {@link Caller} (SPEC §8 roles and partner_id claim). */
@RequestScoped
public class CallerResolver {
    @Inject
    SecurityIdentity identity;

    @Inject
    JsonWebToken token;

    public Caller caller() {
        boolean privileged = identity.hasRole("finance") || identity.hasRole("admin");
        String partnerId = null;
        if (!privileged) {
            Object claim = token.getClaim("partner_id");
            partnerId = claim == null ? null : claim.toString();
            if (!identity.hasRole("partner") || partnerId == null || partnerId.isBlank()) {
                throw ApiProblem.forbiddenPartner();
            }
        }
        return new Caller(identity.getPrincipal().getName(), privileged, partnerId);
    }
}
