package com.revshare.reporting.archfixture.rowtypeinapi.persistence;

/** Violation fixture: a persistence row type ... */
public class RebuildStore {
    /** ... that the API hands out. */
    public record Row(String generation, long entries) {
    }

    public Row current() {
        return new Row("g1", 0);
    }
}
