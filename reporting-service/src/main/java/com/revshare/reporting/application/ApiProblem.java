package com.revshare.reporting.application;

import java.util.Map;

/**
 * A failure answered as RFC 9457 problem details. {@code extensions} are extra members (e.g. the
 * offending {@code parameter}).
 */
public class ApiProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String title;
    private final transient Map<String, Object> extensions;

    public ApiProblem(int status, String type, String title, String detail, Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.extensions = extensions;
    }

    public static ApiProblem badParameter(String parameter, String detail) {
        return new ApiProblem(400, "https://revshare.example/problems/invalid-parameter", "Invalid parameter",
                parameter + ": " + detail, Map.of("parameter", parameter));
    }

    public static ApiProblem unknownPartner(String partnerId) {
        return new ApiProblem(404, "https://revshare.example/problems/unknown-partner", "Unknown partner",
                "partner " + partnerId + " is not known", Map.of());
    }

    public static ApiProblem forbiddenPartner() {
        return new ApiProblem(403, "https://revshare.example/problems/forbidden", "Forbidden",
                "a partner token may read only its own partner's data", Map.of());
    }

    /** The caller already runs as many reads as it may (issue 12.4); answered with Retry-After. */
    public static ApiProblem tooManyRequests(String detail) {
        return new ApiProblem(429, "https://revshare.example/problems/too-many-requests", "Too Many Requests", detail,
                Map.of());
    }

    /** The read pool could not serve the read in time, or the query hit its time limit; Retry-After. */
    public static ApiProblem unavailable(String detail) {
        return new ApiProblem(503, "https://revshare.example/problems/unavailable", "Service Unavailable", detail,
                Map.of());
    }

    public static ApiProblem conflict(String detail) {
        return new ApiProblem(409, "https://revshare.example/problems/conflict", "Conflict", detail, Map.of());
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
