package com.revshare.ledger.application;

import com.revshare.ledger.domain.InvalidFieldException;

/** The {@code limit} parameter of the ledger's paged read APIs (audit, operations): 1 … 1000, default 100. */
final class PageSize {
    static final int LIMIT = 1000;
    static final int DEFAULT = 100;

    private PageSize() {
    }

    /** The page size a {@code limit} parameter asks for; absent means {@link #DEFAULT}; else a 400 naming {@code limit}. */
    static int of(String limit) {
        if (limit == null) {
            return DEFAULT;
        }
        int size;
        try {
            size = Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 1 || size > LIMIT) {
            throw new InvalidFieldException("limit", "limit must be an integer 1 … " + LIMIT);
        }
        return size;
    }
}
