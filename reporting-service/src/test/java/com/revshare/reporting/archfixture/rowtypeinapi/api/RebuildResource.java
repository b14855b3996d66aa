package com.revshare.reporting.archfixture.rowtypeinapi.api;

import com.revshare.reporting.archfixture.rowtypeinapi.persistence.RebuildStore;

/** Violation fixture: a resource that answers with a persistence row type. */
public class RebuildResource {
    public RebuildStore.Row status(RebuildStore store) {
        return store.current();
    }
}
