package com.revshare.ingest.domain;

/** The input is not one well-formed JSON text (RFC 8259, UTF-8). The message says where and why. */
public final class JsonSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    public JsonSyntaxException(String message) {
        super(message, null, false, false);
    }
}
