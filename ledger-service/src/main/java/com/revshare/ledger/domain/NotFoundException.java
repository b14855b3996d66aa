package com.revshare.ledger.domain;

/** The addressed thing (partner, unrated event) does not exist; maps to 404. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
