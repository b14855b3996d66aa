package com.revshare.ingest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 3339 date-time with offset, normalised to a UTC instant. */
class Rfc3339Test {
    @ParameterizedTest
    @CsvSource({"2026-11-01T12:00:00Z,2026-11-01T12:00:00Z", "2026-11-01T12:00:00.5Z,2026-11-01T12:00:00.500Z",
            "2026-11-01T12:00:00.123456789Z,2026-11-01T12:00:00.123456789Z",
            "2026-11-01T00:30:00+01:00,2026-10-31T23:30:00Z", "2026-11-01T12:00:00-00:00,2026-11-01T12:00:00Z",
            "2028-02-29T23:59:59-23:59,2028-03-01T23:58:59Z", "2026-11-01t12:00:00z,2026-11-01T12:00:00Z",
            "0000-01-01T00:00:00-00:01,0000-01-01T00:01:00Z", "9999-12-31T23:59:59.999999999Z,9999-12-31T23:59:59.999999999Z"})
    void parsesToUtc(String text, String utc) {
        assertEquals(Instant.parse(utc), Rfc3339.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-01T12:00:00", "2026-11-01T12:00Z", "2026-11-01 12:00:00Z", "2026-11-1T12:00:00Z",
            "2026-13-01T12:00:00Z", "2026-02-29T12:00:00Z", "2026-11-01T12:00:00.Z", "2026-11-01T12:00:00+0100",
            "2026-11-01T12:00:00+01", "2026-11-01T12:00:00+01:60", "2026-11-01T12:00:00Z ", "+2026-11-01T12:00:00Z",
            "2026-11-01T12:00:00.1234567890Z", "２０２６-11-01T12:00:00Z", "", "0000-01-01T00:00:00+00:01",
            "9999-12-31T23:59:59-00:01"})
    void refusesWhatTheGrammarRefuses(String text) {
        assertNull(Rfc3339.parse(text));
    }
}
