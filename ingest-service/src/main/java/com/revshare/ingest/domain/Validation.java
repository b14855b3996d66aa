package com.revshare.ingest.domain;

/** The verdict of {@link UsageEventValidator} on one record. */
public sealed interface Validation {

    /** The partner the record names (a rejection: or its transport claims), or null when none could be read. */
    String partnerId();

    /** The record's event id, or null when none could be read. */
    String eventId();

    /** The record is a valid event; whether it is new, a duplicate or a conflict is decided by the store. */
    record Valid(UsageEvent event) implements Validation {
        @Override
        public String partnerId() {
            return event.partnerId();
        }

        @Override
        public String eventId() {
            return event.eventId();
        }
    }

    /** The record is a valid control event (SPEC §2.6); new, duplicate or conflict is decided by the store. */
    record ValidControl(ControlEvent control) implements Validation {
        @Override
        public String partnerId() {
            return control.partnerId();
        }

        @Override
        public String eventId() {
            return control.eventId();
        }
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
