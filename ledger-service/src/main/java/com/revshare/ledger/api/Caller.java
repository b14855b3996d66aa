package com.revshare.ledger.api;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is calling: the token's subject, recorded as the actor of admin commands (SPEC §3.7). */
@RequestScoped
public class Caller {
    @Inject
    JsonWebToken jwt;

    public String actor() {
        String subject = jwt.getSubject();
        return subject != null ? subject : jwt.getName();
    }
}
