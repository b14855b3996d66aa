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

    /**
     * RFC 3339's time-secfrac is "." 1*DIGIT: any number of digits is valid; an instant keeps nanoseconds, so
     * digits beyond the ninth are truncated (SPEC §2.1 "RFC 3339 with offset").
     */
    @ParameterizedTest
    @CsvSource({"2026-11-01T12:00:00.1234567890Z,2026-11-01T12:00:00.123456789Z",
            "2026-11-01T12:00:00.12345678999999Z,2026-11-01T12:00:00.123456789Z",
            "2026-11-01T13:00:00.0000000000000+01:00,2026-11-01T12:00:00Z"})
    void fractionsLongerThanNanosecondsAreValidRfc3339AndTruncated(String text, String utc) {
        assertEquals(Instant.parse(utc), Rfc3339.parse(text));
    }

    /**
     * RFC 3339 §5.6 allows a leap second (time-second 60) where UTC has one, at 23:59:60 UTC whatever the
     * offset; like java.time's ISO_INSTANT it is normalised to 23:59:59 of that day.
     */
    @ParameterizedTest
    @CsvSource({"2016-12-31T23:59:60Z,2016-12-31T23:59:59Z", "2016-12-31T15:59:60.5-08:00,2016-12-31T23:59:59.5Z",
            "2015-07-01T01:59:60+02:00,2015-06-30T23:59:59Z",
            "1972-06-30T23:59:60Z,1972-06-30T23:59:59Z"})
    void aLeapSecondAt235960UtcIsValidRfc3339(String text, String utc) {
        assertEquals(Instant.parse(utc), Rfc3339.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-01T12:00:00", "2026-11-01T12:00Z", "2026-11-01 12:00:00Z", "2026-11-1T12:00:00Z",
            "2026-13-01T12:00:00Z", "2026-02-29T12:00:00Z", "2026-11-01T12:00:00.Z", "2026-11-01T12:00:00+0100",
            "2026-11-01T12:00:00+01", "2026-11-01T12:00:00+01:60", "2026-11-01T12:00:00Z ", "+2026-11-01T12:00:00Z",
            "２０２６-11-01T12:00:00Z", "", "0000-01-01T00:00:00+00:01",
            "9999-12-31T23:59:59-00:01", "2026-11-01T12:00:60Z", "2016-12-31T23:58:60Z", "2016-12-31T23:59:61Z"})
    void refusesWhatTheGrammarRefuses(String text) {
        assertNull(Rfc3339.parse(text));
    }
}
