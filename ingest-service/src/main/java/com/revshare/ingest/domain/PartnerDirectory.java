package com.revshare.ingest.domain;

/** Which partner ids are registered (and active) right now, as ingest knows them. */
@FunctionalInterface
public interface PartnerDirectory {
    boolean isRegistered(String partnerId);
}
