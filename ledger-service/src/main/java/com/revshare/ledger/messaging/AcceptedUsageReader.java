package com.revshare.ledger.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ledger.application.AcceptedRecord;
import com.revshare.ledger.application.AcceptedRecordReader;

/** {@link AcceptedRecordReader} by the accepted-usage message binding ({@link AcceptedUsageJson}). */
@ApplicationScoped
public class AcceptedUsageReader implements AcceptedRecordReader {
    @Inject
    ObjectMapper json;

    @Override
    public AcceptedRecord read(String raw) {
        return AcceptedUsageJson.read(json, raw);
    }
}
