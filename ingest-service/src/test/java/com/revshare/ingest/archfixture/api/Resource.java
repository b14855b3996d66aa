package com.revshare.ingest.archfixture.api;

import com.revshare.ingest.archfixture.messaging.Relay;

/** Breaks the layers on purpose (see ArchitectureTest): the api reaching into the messaging adapter. */
public class Resource {
    public void post(Relay relay) {
        relay.wake();
    }
}
