package com.revshare.ingest.domain;

import static com.revshare.ingest.domain.TestEvents.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** SPEC §2.6: a control event's validation (reasons, order, fields named by full path) and its content comparison. */
class ControlEventValidatorTest {

    static ObjectNode control() {
        try {
            return (ObjectNode) TestEvents.JSON.readTree("""
                    {"specversion":"1.0","id":"aws-control-1","source":"partners/aws","type":"revshare.control.v1",
                     "time":"2026-11-01T13:05:00Z","partnerid":"aws",
                     "data":{"from":"2026-11-01T12:00:00Z","to":"2026-11-01T13:00:00Z","eventCount":1234,
                             "quantities":{"input_tokens":"1500000","output_tokens":900000,"requests":"1234"},
                             "revenue":{"USD":"123.45000000","EUR":10.5}}}""");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode data(ObjectNode e) {
        return (ObjectNode) e.get("data");
    }

    static Validation.Invalid invalid(ObjectNode e) {
        return assertInstanceOf(Validation.Invalid.class, TestEvents.validate(e));
    }

    @Test
    void theSpecExampleIsAValidControlNormalised() {
        // given the example of SPEC §2.6 (numbers and strings mixed)
        // when it is validated
        ControlEvent c = assertInstanceOf(Validation.ValidControl.class, TestEvents.validate(control())).control();
        // then window, counts and sums are read exactly
        assertEquals(Instant.parse("2026-11-01T12:00:00Z"), c.from());
        assertEquals(Instant.parse("2026-11-01T13:00:00Z"), c.to());
        assertEquals(1234, c.eventCount());
        assertEquals(1_500_000L, c.quantity("input_tokens"));
        assertEquals(900_000L, c.quantity("output_tokens"));
        assertEquals(0, new BigDecimal("10.5").compareTo(c.revenue().get("EUR")));
        assertEquals("10.50000000", c.revenue().get("EUR").toPlainString());
        assertEquals(Instant.parse("2026-11-01T13:05:00Z"), c.time());
    }

    @Test
    void emptyQuantitiesAndRevenueAreValidAndAnyOffsetOnAWholeUtcHourIsNormalised() {
        ObjectNode e = control();
        data(e).putObject("quantities");
        data(e).putObject("revenue");
        data(e).put("from", "2026-11-01T17:30:00+05:30");
        data(e).put("to", "2026-11-01T08:00:00.000-05:00");
        ControlEvent c = assertInstanceOf(Validation.ValidControl.class, TestEvents.validate(e)).control();
        assertEquals(Instant.parse("2026-11-01T12:00:00Z"), c.from());
        assertEquals(Instant.parse("2026-11-01T13:00:00Z"), c.to());
        assertTrue(c.quantities().isEmpty() && c.revenue().isEmpty());
    }

    @ParameterizedTest
    @CsvSource({
            "from, 2026-11-01T12:30:00Z, data.from",
            "from, 2026-11-01T12:00:01Z, data.from",
            "from, 2026-11-01T12:00:00.5Z, data.from",
            "from, 2026-11-01T12:00:00+05:30, data.from",
            "from, 1969-12-31T23:00:00Z, data.from",
            "from, not-a-time, data.from",
            "to, 2026-11-01 13:00:00Z, data.to",
            "to, 2026-11-01T12:00:00Z, data.to",
            "to, 2026-11-01T11:00:00Z, data.to",
            "to, 2026-12-02T13:00:00Z, data.to"})
    void aWindowOffWholeHoursNotIncreasingOrLongerThan744HoursIsInvalidNamingTheField(String member, String value,
            String field) {
        ObjectNode e = control();
        data(e).put(member, value);
        Validation.Invalid v = invalid(e);
        assertEquals(RejectionReason.INVALID_FIELD, v.reason(), v::toString);
        assertTrue(v.detail().startsWith(field + " "), v::detail);
    }

    @Test
    void aWindowOfExactly744HoursIsValid() {
        ObjectNode e = control();
        data(e).put("from", "2026-10-01T00:00:00Z");
        data(e).put("to", "2026-11-01T00:00:00Z");
        assertInstanceOf(Validation.ValidControl.class, TestEvents.validate(e));
    }

    @Test
    void toMoreThanFiveMinutesAfterTheClockIsAFutureEventButFiveMinutesIsNot() {
        ObjectNode e = control();
        e.put("time", NOW.toString());
        data(e).put("from", "2026-11-26T11:00:00Z");
        data(e).put("to", "2026-11-26T13:00:00Z"); // clock 12:00
        Validation.Invalid v = invalid(e);
        assertEquals(RejectionReason.FUTURE_EVENT, v.reason());
        assertTrue(v.detail().startsWith("data.to"), v::detail);

        data(e).put("to", "2026-11-26T12:00:00Z");
        assertInstanceOf(Validation.ValidControl.class, TestEvents.validate(e));
        var tolerant = new UsageEventValidator(65536, java.time.Duration.ofMinutes(5), TestEvents.READER);
        assertInstanceOf(Validation.ValidControl.class, tolerant.validate(TestEvents.bytes(e), null,
                TestEvents.PARTNERS, Instant.parse("2026-11-26T11:55:00Z")));
        assertInstanceOf(Validation.Invalid.class, tolerant.validate(TestEvents.bytes(e), null,
                TestEvents.PARTNERS, Instant.parse("2026-11-26T11:54:59Z")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"eventCount\":-1 | data.eventCount",
            "\"eventCount\":1.0 | data.eventCount",
            "\"eventCount\":1e3 | data.eventCount",
            "\"eventCount\":\"12\" | data.eventCount",
            "\"eventCount\":1000000000001 | data.eventCount",
            "\"quantities\":[] | data.quantities",
            "\"quantities\":{\"tokens\":\"1\"} | data.quantities.tokens",
            "\"quantities\":{\"requests\":\"-1\"} | data.quantities.requests",
            "\"quantities\":{\"requests\":1000000000000001} | data.quantities.requests",
            "\"quantities\":{\"requests\":1.5} | data.quantities.requests",
            "\"revenue\":\"USD\" | data.revenue",
            "\"revenue\":{\"usd\":\"1\"} | data.revenue.usd",
            "\"revenue\":{\"XXY\":\"1\"} | data.revenue.XXY",
            "\"revenue\":{\"USD\":\"1.123456789\"} | data.revenue.USD",
            "\"revenue\":{\"USD\":-1} | data.revenue.USD",
            "\"revenue\":{\"USD\":1E2} | data.revenue.USD"})
    void badCountsQuantitiesAndRevenueAreInvalidNamingTheFullPath(String member, String field) {
        ObjectNode e = control();
        String name = member.substring(1, member.indexOf('"', 1));
        data(e).remove(name);
        String json = TestEvents.bytes(e).length > 0 ? new String(TestEvents.bytes(e)) : "";
        json = json.replace("\"data\":{", "\"data\":{" + member + ",");
        Validation.Invalid v = assertInstanceOf(Validation.Invalid.class, TestEvents.validate(json));
        assertEquals(RejectionReason.INVALID_FIELD, v.reason(), v::toString);
        assertTrue(v.detail().startsWith(field + " "), v::detail);
    }

    @ParameterizedTest
    @CsvSource({"from", "to", "eventCount", "quantities", "revenue"})
    void eachDataMemberIsRequired(String member) {
        ObjectNode e = control();
        data(e).remove(member);
        Validation.Invalid v = invalid(e);
        assertEquals(RejectionReason.MISSING_FIELD, v.reason());
        assertEquals("data." + member + " is missing", v.detail());
        data(e).putNull(member);
        assertEquals(RejectionReason.MISSING_FIELD, invalid(e).reason());
    }

    @Test
    void aControlNeedsNoUsageFieldsAndAnotherTypeIsUnsupported() {
        // a control's data has no usage members and is valid
        assertFalse(control().get("data").has("model"));
        assertInstanceOf(Validation.ValidControl.class, TestEvents.validate(control()));
        // any type other than the two is UNSUPPORTED_TYPE (its data is checked as a usage event's, as in v1)
        ObjectNode usage = TestEvents.valid();
        usage.put("type", "revshare.control.v2");
        assertEquals(RejectionReason.UNSUPPORTED_TYPE, invalid(usage).reason());
        ObjectNode control = control();
        control.put("type", "revshare.control.v2");
        assertEquals(RejectionReason.MISSING_FIELD, invalid(control).reason());
    }

    @Test
    void validationOrderHoldsForControls() {
        // given an INVALID_FIELD, a PARTNER_MISMATCH and a FUTURE_EVENT at once
        ObjectNode e = control();
        data(e).put("eventCount", -1);
        data(e).put("to", "2030-01-01T00:00:00Z");
        Validation v = TestEvents.validate(e, PartnerClaim.recordKey("azure"));
        // then the first of SPEC §2.2 wins
        assertEquals(RejectionReason.INVALID_FIELD, ((Validation.Invalid) v).reason());
        data(e).put("eventCount", 1);
        data(e).put("from", "2029-12-31T00:00:00Z");
        assertEquals(RejectionReason.PARTNER_MISMATCH,
                ((Validation.Invalid) TestEvents.validate(e, PartnerClaim.recordKey("azure"))).reason());
        e.put("partnerid", "oracle");
        assertEquals(RejectionReason.UNKNOWN_PARTNER, invalid(e).reason());
        e.put("partnerid", "aws");
        assertEquals(RejectionReason.FUTURE_EVENT, invalid(e).reason());
    }

    @Test
    void onAPartnerTopicAKeyOtherThanTheTopicsPartnerIsAMismatchEvenWhenPartneridMatches() {
        ObjectNode e = control();
        Validation v = TestEvents.validate(e, PartnerClaim.topic("aws", "azure"));
        assertEquals(RejectionReason.PARTNER_MISMATCH, ((Validation.Invalid) v).reason());
        assertTrue(((Validation.Invalid) v).detail().contains("record key"));
        assertInstanceOf(Validation.ValidControl.class, TestEvents.validate(e, PartnerClaim.topic("aws", "aws")));
        assertInstanceOf(Validation.ValidControl.class, TestEvents.validate(e, PartnerClaim.topic("aws", null)));
        assertEquals(RejectionReason.PARTNER_MISMATCH,
                ((Validation.Invalid) TestEvents.validate(e, PartnerClaim.topic("azure", null))).reason());
    }

    @Test
    void contentIsComparedNumericallyWithZeroForAbsentKeys() {
        ObjectNode a = control();
        ObjectNode b = control();
        ((ObjectNode) data(b).get("quantities")).put("input_tokens", 1500000);
        ((ObjectNode) data(b).get("revenue")).put("USD", "123.45");
        ((ObjectNode) data(b).get("revenue")).put("GBP", "0");
        ((ObjectNode) data(a).get("quantities")).put("requests", "1234");
        b.put("source", "elsewhere");
        b.put("time", "2026-11-01T14:00:00Z");
        ControlEvent ca = ((Validation.ValidControl) TestEvents.validate(a)).control();
        ControlEvent cb = ((Validation.ValidControl) TestEvents.validate(b)).control();
        assertTrue(ca.sameContentAs(cb));
        assertTrue(cb.sameContentAs(ca));

        ((ObjectNode) data(b).get("quantities")).remove("requests");
        ControlEvent cc = ((Validation.ValidControl) TestEvents.validate(b)).control();
        assertFalse(ca.sameContentAs(cc));
        ((ObjectNode) data(a).get("quantities")).put("requests", 0);
        ((ObjectNode) data(b).get("quantities")).put("requests", 0);
        ((ObjectNode) data(b).get("quantities")).remove("requests");
        ControlEvent zeroA = ((Validation.ValidControl) TestEvents.validate(a)).control();
        assertTrue(zeroA.sameContentAs(((Validation.ValidControl) TestEvents.validate(b)).control()));
    }
}
