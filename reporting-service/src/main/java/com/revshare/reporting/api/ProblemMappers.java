package com.revshare.reporting.api;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.reporting.application.ApiProblem;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/**
 * Every error leaves as RFC 9457 problem details ({@code application/problem+json}: type, title,
 * status, detail), never with a stack trace or a class name.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    public static final String PROBLEM_JSON = "application/problem+json";

    @Inject
    ObjectMapper json;

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem p) {
        Response r = problem(p.status(), p.type(), p.title(), p.detail(), p.extensions());
        if (p.status() == 429 || p.status() == 503) {
            return Response.fromResponse(r).header("Retry-After", "1").build();
        }
        return r;
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthorized(RuntimeException e) {
        Response r = problem(401, "https://revshare.example/problems/unauthorized", "Unauthorized",
                "a valid bearer token is required", Map.of());
        return Response.fromResponse(r).header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return problem(403, "https://revshare.example/problems/forbidden", "Forbidden",
                "the token's role may not use this operation", Map.of());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        String title = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        return problem(status, "about:blank", title, status == 404 ? "no such resource" : title, Map.of());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("request failed", e);
        return problem(500, "about:blank", "Internal Server Error", "the request could not be completed", Map.of());
    }

    private Response problem(int status, String type, String title, String detail, Map<String, Object> extensions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.putAll(extensions);
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (JsonProcessingException ex) {
            text = "{\"type\":\"about:blank\",\"title\":\"Error\",\"status\":" + status + ",\"detail\":\"error\"}";
        }
        return Response.status(status).type(PROBLEM_JSON).entity(text).build();
    }
}
