package com.revshare.reporting.archfixture.applicationmessagingcycle.application;

/** Violation fixture: a port owned by application ... */
public interface EntryReplaySource {
    long endOffset();
}
