package com.revshare.ledger.archfixture.persistence;

import com.revshare.ledger.archfixture.application.Rows;

/** Implements application's port (allowed); the fixture's Service and Relay name it directly (not allowed). */
public class Repository implements Rows {
    @Override
    public int rows() {
        return 0;
    }
}
