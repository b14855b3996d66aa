package com.revshare.ingest.application;

/** The way a record came in. */
public enum Channel {
    KAFKA,
    HTTP;

    /** Lower-case name, for metric tags. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
