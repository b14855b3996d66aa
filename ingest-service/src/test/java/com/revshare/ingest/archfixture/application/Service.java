package com.revshare.ingest.archfixture.application;

import com.revshare.ingest.archfixture.persistence.Store;

/** Breaks the layers on purpose (see ArchitectureTest): application calling the persistence adapter directly. */
public class Service {
    public int count(Store store) {
        return store.rows();
    }
}
