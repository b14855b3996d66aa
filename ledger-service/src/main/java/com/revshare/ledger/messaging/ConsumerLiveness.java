package com.revshare.ledger.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live only while the usage poll loop and the outbox relay threads run (when enabled). */
@Liveness
@ApplicationScoped
public class ConsumerLiveness implements HealthCheck {
    @Inject
    AcceptedUsageConsumer consumer;
    @Inject
    OutboxRelay relay;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("ledger-pipeline").status(consumer.alive() && relay.alive())
                .withData("usageConsumer", consumer.alive()).withData("outboxRelay", relay.alive()).build();
    }
}
