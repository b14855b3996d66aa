package com.revshare.reporting.archfixture.partnerstoremessaging.messaging;

/** Violation fixture: the wire type of revshare.partners ... */
public record PartnerMessage(String partnerId, String currency) {
}
