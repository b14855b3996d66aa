package com.revshare.ingest.archfixture.messaging;

/** An adapter the fixture's api reaches into (see ArchitectureTest). */
public class Relay {
    public void wake() {
    }
}
