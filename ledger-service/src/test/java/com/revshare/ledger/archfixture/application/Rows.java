package com.revshare.ledger.archfixture.application;

/** A port as the ledger's are declared: owned by application, implemented by persistence (allowed). */
public interface Rows {
    int rows();
}
