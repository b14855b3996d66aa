package com.revshare.reporting.archfixture.partnerstoremessaging.persistence;

import java.util.HashMap;
import java.util.Map;

import com.revshare.reporting.archfixture.partnerstoremessaging.messaging.PartnerMessage;

/** Violation fixture: ... stored as it came off the wire, one adapter depending on another. */
public class PartnerStore {
    private final Map<String, String> currencies = new HashMap<>();

    public void upsert(PartnerMessage message) {
        currencies.put(message.partnerId(), message.currency());
    }
}
