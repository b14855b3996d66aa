package com.revshare.ingest.archfixture.persistence;

import com.revshare.ingest.archfixture.application.Service;

/** Closes a cycle with {@link Service} on purpose (see ArchitectureTest). */
public class Store {
    Service owner;

    public int rows() {
        return owner == null ? 0 : 1;
    }
}
