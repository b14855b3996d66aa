package com.revshare.ingest.config;

import com.revshare.ingest.domain.RecordReader;
import com.revshare.ingest.domain.UsageEventValidator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The validator with the configured limits, a bean so a test can put a faulty one in its place. */
@ApplicationScoped
public class ValidatorProducer {
    @Produces
    @Singleton
    UsageEventValidator validator(IngestConfig config, RecordReader reader) {
        return new UsageEventValidator(config.recordSizeLimitBytes(), config.futureTolerance(), reader);
    }
}
