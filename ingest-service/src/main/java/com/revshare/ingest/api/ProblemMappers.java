package com.revshare.ingest.api;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * Every error answer as problem details (SPEC §7), authentication and authorisation included (which
 * needs {@code quarkus.http.auth.proactive=false}, so they fail inside JAX-RS); never a stack trace or
 * a class name.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    /** A 503 here always means "retry": not ready yet, no room for the body, or storage failed. */
    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response response = Problem.response(e.status(), e.getMessage());
        if (e.status() == Response.Status.SERVICE_UNAVAILABLE) {
            return Response.fromResponse(response).header(HttpHeaders.RETRY_AFTER, "1").build();
        }
        return response;
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e) {
        return Response.fromResponse(Problem.response(Response.Status.UNAUTHORIZED,
                "a valid bearer token is required")).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.response(Response.Status.FORBIDDEN, "this token's role may not use this operation");
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        Response.StatusType type = original.getStatusInfo();
        Response.ResponseBuilder b = Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", type.getReasonPhrase(), status, type.getReasonPhrase()));
        original.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                values.forEach(v -> b.header(name, v));
            }
        });
        return b.build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("request failed unexpectedly", e);
        return Problem.response(Response.Status.INTERNAL_SERVER_ERROR, "the request could not be completed");
    }
}
