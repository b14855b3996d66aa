package com.revshare.ledger.api;

import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.revshare.ledger.domain.InvalidFieldException;
import com.revshare.ledger.domain.LedgerConflictException;
import com.revshare.ledger.domain.NotFoundException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** Every error as problem details; never a stack trace or a class name. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalid(InvalidFieldException e) {
        // the detail always names the field by its full path (e.g. rules[0].tiers[1].upTo), SPEC §7
        String detail = e.getMessage().contains(e.field()) ? e.getMessage() : e.field() + ": " + e.getMessage();
        return Problem.of(400, "Invalid request", detail, Map.of("field", e.field()));
    }

    @ServerExceptionMapper
    public Response conflict(LedgerConflictException e) {
        return Problem.of(409, "Conflict", e.getMessage(), e.extensions());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return Problem.of(404, "Not found", e.getMessage());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return Problem.of(400, "Invalid request", "the body is not valid JSON", Map.of("field", "body"));
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return Problem.of(401, "Unauthorized", "a valid bearer token is required");
    }

    @ServerExceptionMapper
    public Response unauthenticated(AuthenticationFailedException e) {
        return Problem.of(401, "Unauthorized", "a valid bearer token is required");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of(403, "Forbidden", "this role may not do that");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        return Problem.of(status, title, title);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected error", e);
        return Problem.of(500, "Internal error", "the request could not be completed");
    }
}
