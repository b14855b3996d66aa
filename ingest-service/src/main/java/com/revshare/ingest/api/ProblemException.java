package com.revshare.ingest.api;

import jakarta.ws.rs.core.Response;

/** Ends a request with a problem details answer. */
public class ProblemException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Response.Status status;

    public ProblemException(Response.Status status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    public Response.Status status() {
        return status;
    }
}
