package com.revshare.ingest.domain;

/** The verdict of {@link UsageEventValidator} on one record. */
public sealed interface Validation {

    /** The record is a valid event; whether it is new, a duplicate or a conflict is decided by the store. */
    record Valid(UsageEvent event) implements Validation {
    }

    /** The record is a valid control event (SPEC §2.6); new, duplicate or conflict is decided by the store. */
    record ValidControl(ControlEvent control) implements Validation {
    }

    /**
     * The record is rejected.
     *
     * @param partnerId the partner id the record names or its transport claims, when one could be read
     * @param eventId the event's {@code id}, when it could be read as a string
     */
    record Invalid(RejectionReason reason, String detail, String partnerId, String eventId) implements Validation {
    }
}
