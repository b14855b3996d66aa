package com.revshare.ledger.domain;

/** A command's input breaks a rule of the contract; maps to 400 naming {@link #field()}. */
public class InvalidFieldException extends RuntimeException {
    private final String field;

    public InvalidFieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
